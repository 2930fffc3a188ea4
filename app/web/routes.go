package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/views"
)

// registerRoutes mounts every tenant site route on g, which is behind the
// tenant middleware: each handler gets a database handle scoped to its tenant.
func registerRoutes(g *echo.Group) {
	g.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusFound, "/polls/") })
	g.GET("/polls/", func(c echo.Context) error {
		site, _ := webctx.SiteOf(c)
		return c.Render(http.StatusOK, "polls/placeholder", views.Page{Title: "Polls", SiteName: site.Name})
	})
}
