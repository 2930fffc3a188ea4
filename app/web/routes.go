package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/admin"
	"polls/app/polls"
	"polls/app/webctx"
)

// registerRoutes mounts every tenant site route on g, which is behind the
// tenant lifecycle: each handler gets a database handle scoped to its tenant.
// The public pages are closed while the site is suspended; its admin is not
// (it lets only superusers in then).
func registerRoutes(g *echo.Group, adm *admin.Handler) {
	public := g.Group("", closedWhileSuspended)
	public.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusFound, "/polls/") })
	polls.Register(public, &polls.Handlers{Now: time.Now})
	adm.Mount(g)
}

// errSuspended is a suspended site's public page (paid_until passed without
// a trial, or polls suspend): shown in the site's own look.
var errSuspended = echo.NewHTTPError(http.StatusPaymentRequired, "This site is suspended.")

// closedWhileSuspended answers a suspended site's public pages with 402.
func closedWhileSuspended(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if r, ok := webctx.From(c); ok && r.Site.Suspended {
			return errSuspended
		}
		return next(c)
	}
}
