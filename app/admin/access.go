package admin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"polls/app/auth"
	"polls/app/webctx"
	"polls/models"
)

const (
	userKey    = "admin.user"
	sessionKey = "admin.session"
)

// errNoPermission is what a staff user who is not a superuser gets on the
// user pages.
var errNoPermission = echo.NewHTTPError(http.StatusForbidden,
	"You don’t have permission to view or edit users: that takes a superuser account.")

// noStore keeps admin pages out of every cache: they show private data and
// carry tokens. (The site-wide security headers come from app/web.)
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// requireStaff lets only a live session of an active staff user through; the
// others are sent to the login page, which brings them back afterwards.
func (h *Handler) requireStaff(next echo.HandlerFunc) echo.HandlerFunc {
	return webctx.Handle(func(c echo.Context, r *webctx.Request) error {
		sess, u, err := h.sessions.Current(c, r.DB)
		if errors.Is(err, auth.ErrNoSession) || err == nil && !admitted(r, u) {
			status := http.StatusFound
			if m := c.Request().Method; m != http.MethodGet && m != http.MethodHead {
				status = http.StatusSeeOther // the browser follows with a GET of the login page
			}
			return c.Redirect(status, pathLogin+"?next="+url.QueryEscape(c.Request().URL.RequestURI()))
		}
		if err != nil {
			return err
		}
		c.Set(userKey, u)
		c.Set(sessionKey, sess)
		return next(c)
	})
}

// admitted reports whether u may use the admin: an active staff user, and
// only a superuser while the site is suspended.
func admitted(r *webctx.Request, u models.User) bool {
	return u.IsActive && u.IsStaff && (!r.Site.Suspended || u.IsSuperuser)
}

// requireSuperuser guards the user pages; it runs after requireStaff.
func requireSuperuser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !currentUser(c).IsSuperuser {
			return errNoPermission
		}
		return next(c)
	}
}

// currentUser is the logged-in user, set by requireStaff.
func currentUser(c echo.Context) models.User {
	u, _ := c.Get(userKey).(models.User)
	return u
}

// currentSession is the request's session, set by requireStaff.
func currentSession(c echo.Context) models.Session {
	s, _ := c.Get(sessionKey).(models.Session)
	return s
}

// safeNext returns next if it is a path on this site, else the admin index:
// a login link must never be able to send someone to another site.
func safeNext(next string) string {
	const home = pathIndex
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\r\n\t") {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return home
	}
	return next
}

// clientAddr is the address the login throttle counts attempts for: what
// the server's IPExtractor says (app/web sets one that believes
// X-Forwarded-For only from server.trusted_proxies), or the direct peer
// where none is set, so that a forged header never buys fresh attempts.
func clientAddr(c echo.Context) string {
	if c.Echo().IPExtractor != nil {
		return c.RealIP()
	}
	return echo.ExtractIPDirect()(c.Request())
}

// requestCtx is the request's context as the lifecycle bound it to r.DB: it
// ends with the request's budget (server.request_timeout), so that a wait
// for something other than the database, such as a hashing slot, ends
// with it too.
func requestCtx(r *webctx.Request) context.Context {
	return r.DB.Statement.Context
}

// pathID reads the :id of an object's URL (webctx.ParseID); anything else
// is a page that does not exist.
func pathID(c echo.Context) (int64, error) {
	id, ok := webctx.ParseID(c.Param("id"))
	if !ok {
		return 0, echo.ErrNotFound
	}
	return id, nil
}
