package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/admin"
	"polls/app/polls"
)

// registerRoutes mounts every tenant site route on g, which is behind the
// tenant middleware: each handler gets a database handle scoped to its tenant.
func registerRoutes(g *echo.Group, adm *admin.Handler) {
	g.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusFound, "/polls/") })
	polls.Register(g, &polls.Handlers{Now: time.Now})
	adm.Mount(g)
}
