// Package web assembles the HTTP application: middleware, routes, rendering and
// the one place where errors become responses.
package web

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"polls/app/database"
	"polls/app/tenant"
	"polls/static"
	"polls/views"
)

// Deps is everything the application needs, built by `polls serve` (and tests).
type Deps struct {
	DB       *database.DB
	Resolver *tenant.Resolver
	Views    *views.Set
	Log      *slog.Logger
	// Isolation says whether requests run as their tenant's role; the zero
	// value means roles.
	Isolation tenant.Isolation
}

// New returns the echo application serving every tenant.
func New(d Deps) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Renderer = renderer{views: d.Views}
	e.HTTPErrorHandler = errorHandler(d.Views, d.Log)

	e.Use(requestLog(d.Log))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, DisablePrintStack: true}))
	e.Use(middleware.BodyLimit("1M"))

	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	e.GET("/readyz", readyz(d.DB))
	e.StaticFS("/static", static.FS)

	scoped := &tenant.Middleware{Resolver: d.Resolver, SQL: d.DB.SQL, Gorm: d.DB.Gorm, Isolation: d.Isolation}
	site := e.Group("", scoped.Handle, csrf)
	registerRoutes(site)
	return e
}

func readyz(db *database.DB) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := db.SQL.PingContext(c.Request().Context()); err != nil {
			return c.String(http.StatusServiceUnavailable, "database unreachable\n")
		}
		return c.String(http.StatusOK, "ok\n")
	}
}
