package admin

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"polls/app/i18n"
	"polls/app/webctx"
	"polls/models"
)

// indexPage is the data of admin/index: the apps and models the user may
// manage and, on the home page, the recent actions.
type indexPage struct {
	base
	Apps     []appEntry
	Recent   []recentEntry
	HomePage bool
}

type appEntry struct {
	Label, URL string
	Models     []modelEntry
}

type modelEntry struct {
	Label, URL, AddURL string
}

type recentEntry struct {
	Class, Repr, URL, Type, When string
}

// apps lists the admin's apps as a user may see them: only superusers manage users.
func apps(superuser bool) []appEntry {
	var as []appEntry
	if superuser {
		as = append(as, appEntry{Label: "Authentication and Authorization", URL: pathAuthApp, Models: []modelEntry{
			{Label: "Users", URL: pathUsers, AddURL: pathUserAdd},
		}})
	}
	return append(as, appEntry{Label: "Polls", URL: pathPollsApp, Models: []modelEntry{
		{Label: "Choices", URL: pathChoices},
		{Label: "Questions", URL: pathQuestions, AddURL: pathQuestionAdd},
	}})
}

// index is /admin/: every app, and what the user did lately.
func (h *Handler) index(c echo.Context, r *webctx.Request) error {
	b, err := h.page(c, r, "Site administration")
	if err != nil {
		return err
	}
	actions, err := models.RecentActions(r.DB, currentUser(c).ID, 10)
	if err != nil {
		return err
	}
	p := indexPage{base: b, Apps: apps(b.IsSuperuser), HomePage: true}
	for _, a := range actions {
		p.Recent = append(p.Recent, describeAction(tr(r), a, b.IsSuperuser))
	}
	return c.Render(http.StatusOK, "admin/index", p)
}

// appIndex is /admin/<app>/: the models of one app.
func (h *Handler) appIndex(app string) webctx.HandlerFunc {
	return func(c echo.Context, r *webctx.Request) error {
		label := map[string]string{"polls": "Polls", "auth": "Authentication and Authorization"}[app]
		z := tr(r)
		b, err := h.page(c, r, z.T("%s administration", z.Message(label)), crumb{Label: label})
		if err != nil {
			return err
		}
		p := indexPage{base: b}
		for _, a := range apps(b.IsSuperuser) {
			if a.URL == pathIndex+app+"/" {
				p.Apps = append(p.Apps, a)
			}
		}
		return c.Render(http.StatusOK, "admin/index", p)
	}
}

// Content types of the admin log, Django's "app.model".
const (
	ctQuestion = "polls.question"
	ctUser     = "auth.user"
)

// describeAction turns a log entry into a line of the Recent actions panel,
// linking to the object unless it is gone or the reader may not open it.
func describeAction(z i18n.Localizer, a models.AdminAction, superuser bool) recentEntry {
	e := recentEntry{Repr: a.ObjectRepr, When: formatTimeIn(z, a.ActionTime), Type: a.ContentType}
	switch a.ActionFlag {
	case models.ActionAddition:
		e.Class = "addlink"
	case models.ActionChange:
		e.Class = "changelink"
	default:
		e.Class = "deletelink"
	}
	change := ""
	switch a.ContentType {
	case ctQuestion:
		e.Type, change = "Question", questionModel.change
	case ctUser:
		e.Type = "User"
		if superuser {
			change = userModel.change
		}
	}
	if change != "" && a.ActionFlag != models.ActionDeletion {
		e.URL = strings.Replace(change, ":id", a.ObjectID, 1)
	}
	return e
}
