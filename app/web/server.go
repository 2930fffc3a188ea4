// Package web assembles the HTTP application: middleware, routes, rendering and
// the one place where errors become responses.
package web

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"polls/app/admin"
	"polls/app/auth"
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
	// SessionMaxAge is how long an admin login lasts; zero means two weeks.
	SessionMaxAge time.Duration
}

// New returns the echo application serving every tenant.
func New(d Deps) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Renderer = renderer{views: d.Views}
	e.HTTPErrorHandler = errorHandler(d.Views, d.Log)

	e.Use(requestLog(d.Log))
	e.Use(securityHeaders)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, DisablePrintStack: true}))
	e.Use(middleware.BodyLimit("1M"))

	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	e.GET("/readyz", readyz(d.DB))
	assets := staticFiles(static.FS)
	e.GET("/static/*", assets)
	e.HEAD("/static/*", assets)

	scoped := &tenant.Middleware{Resolver: d.Resolver, SQL: d.DB.SQL, Gorm: d.DB.Gorm, Isolation: d.Isolation}
	site := e.Group("", scoped.Handle, csrf)
	// One login throttle for the process, shared by every tenant's admin.
	adm := admin.New(admin.Config{SessionMaxAge: d.SessionMaxAge, Throttle: auth.NewThrottle()})
	registerRoutes(site, adm)
	site.RouteNotFound("/*", appendSlash(e))
	answerWrongMethods(e)
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
