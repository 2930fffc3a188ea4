package admin

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
)

// What the platform admin (app/platformadmin) reuses, so both admins log in,
// out and change passwords through one code path. Nothing here names a
// schema: each works on the handle it is given, and the platform's handle
// reaches the platform's own auth_user and django_session (shared migration
// 9), so a tenant's users are simply not found there, and the reverse.

// Base is the part of every admin page's data that layouts/admin.html reads.
type Base = base

// Crumb is one breadcrumb; the current page has no URL.
type Crumb = crumb

// MountLogin registers only the login, logout and password change pages
// under /admin/ on site: the platform admin's front door. Mount registers
// the same handlers, with the same guards, among the tenant admin's pages
// (a copy left as it was, so that changes to Mount merge simply):
// TestMountLoginMatchesMount fails when the two lists disagree.
func (h *Handler) MountLogin(site *echo.Group) {
	g := site.Group(pathRoot)
	g.GET("", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, pathIndex) })
	g.GET(rel(pathLogin), webctx.Handle(h.loginForm), noStore)
	g.POST(rel(pathLogin), webctx.Handle(h.login), noStore)
	g.POST(rel(pathLogout), webctx.Handle(h.logout), noStore)
	g.GET(rel(pathPasswordChange), webctx.Handle(h.passwordChangeForm), noStore, h.requireStaff)
	g.POST(rel(pathPasswordChange), webctx.Handle(h.passwordChange), noStore, h.requireStaff)
	g.GET(rel(pathPasswordDone), webctx.Handle(h.passwordChangeDone), noStore, h.requireStaff)
}

// Guard is what every page behind the login needs: kept out of caches, and
// only for a live session of an active staff user (others go to the login
// page, which brings them back).
func (h *Handler) Guard() []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{noStore, h.requireStaff}
}

// Page builds the common part of an admin page (see page).
func (h *Handler) Page(c echo.Context, r *webctx.Request, title string, crumbs ...Crumb) (Base, error) {
	return h.page(c, r, title, crumbs...)
}

// CurrentUser is the logged-in user, once Guard let the request through.
func CurrentUser(c echo.Context) models.User { return currentUser(c) }

// RedirectWith stores a one-time message for the next page and redirects there.
func RedirectWith(c echo.Context, r *webctx.Request, to, level, msg string) error {
	return redirectWith(c, r, to, level, msg)
}

// FormatTime shows a time the way the whole admin does: in UTC, saying so.
func FormatTime(t time.Time) string { return formatTime(t) }
