package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/i18n"
	"polls/app/webctx"
	"polls/models"
	"polls/views"
)

// base is what layouts/admin.html reads; every admin page's data embeds it.
type base struct {
	views.Page
	FlashLevel  string  // "success", "warning" or "error"
	Crumbs      []crumb // breadcrumbs after Home; the last one is the current page
	IsSuperuser bool
	BodyClass   string
	Notice      string // the site's plan, when it needs saying (suspended, on trial)
}

// Notices of the site's plan, at the top of every admin page.
const (
	noticeSuspended = "This site is suspended: its public pages say so, and only its superusers may use this admin. Nothing else has changed."
	noticeTrial     = "This site is on trial."
)

// crumb is one breadcrumb; the current page has no URL.
type crumb struct{ Label, URL string }

// Breadcrumbs shared by several pages.
var (
	crumbPolls     = crumb{"Polls", pathPollsApp}
	crumbQuestions = crumb{"Questions", pathQuestions}
	crumbAuth      = crumb{"Authentication and Authorization", pathAuthApp}
	crumbUsers     = crumb{"Users", pathUsers}
)

// page builds the common part of a page and hands over the session's
// one-time message, which is then gone. title and the crumbs' labels are
// English; those a catalog has (app/i18n) are shown in the site's language,
// the others (a question's text, a username) as they are.
func (h *Handler) page(c echo.Context, r *webctx.Request, title string, crumbs ...crumb) (base, error) {
	z := tr(r)
	b := base{Page: views.Page{Title: z.Message(title), SiteName: r.Site.Name, CSRF: r.CSRF, Lang: r.Site.Lang}}
	switch {
	case r.Site.Suspended:
		b.Notice = z.Message(noticeSuspended)
	case r.Site.OnTrial:
		b.Notice = z.Message(noticeTrial)
	}
	if len(crumbs) > 0 {
		b.Crumbs = append([]crumb{{z.T("Home"), pathIndex}}, crumbs...)
		for i := range b.Crumbs {
			b.Crumbs[i].Label = z.Message(b.Crumbs[i].Label)
		}
	}
	u := currentUser(c)
	if u.ID == 0 {
		return b, nil
	}
	b.User, b.IsSuperuser = u.Username, u.IsSuperuser
	if s := currentSession(c); s.Flash != "" {
		b.Flash, b.FlashLevel = s.Flash, s.FlashLevel
		if err := models.SetSessionFlash(r.DB, s.Key, "", ""); err != nil {
			return b, err
		}
	}
	return b, nil
}

// tr is the Localizer of the request's language: every text of ours shown
// in a tenant's admin goes through it (see app/i18n).
func tr(r *webctx.Request) i18n.Localizer { return i18n.For(r.Site.Lang) }

// redirectWith stores msg for the next page and redirects there: the
// confirmation survives the redirect because it lives in the session.
func redirectWith(c echo.Context, r *webctx.Request, to, level, msg string) error {
	if err := models.SetSessionFlash(r.DB, currentSession(c).Key, level, msg); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// formatTime shows a time the way the whole admin does: in UTC, and saying so.
func formatTime(t time.Time) string {
	return t.UTC().Format("Jan 2, 2006, 15:04") + " UTC"
}

// formatTimeIn is formatTime in z's language: French writes the date its
// own way ("1 décembre 2026 à 14:05 UTC"); English keeps the admin's form.
func formatTimeIn(z i18n.Localizer, t time.Time) string {
	if z.Lang() == i18n.English {
		return formatTime(t)
	}
	return z.Date(t) + " UTC"
}

// formatTimePtrIn is formatTimeIn for an optional time.
func formatTimePtrIn(z i18n.Localizer, t *time.Time) string {
	if t == nil {
		return z.T("never")
	}
	return formatTimeIn(z, *t)
}

// quoted is how Django names an object in messages: “like this”.
func quoted(s string) string { return "“" + s + "”" }

// plural counts n things: "1 question", "2 questions".
func plural(n int64, one, many string) string {
	return itoa(n) + " " + views.Plural(n, one, many)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
