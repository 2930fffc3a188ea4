package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/labstack/echo/v4"

	"polls/app/tenant"
	"polls/app/webctx"
	"polls/models"
	"polls/views"
)

// errorPage is the data of views/pages/error.html.
type errorPage struct {
	views.Page
	Message string
}

// errorHandler is the one place where errors become responses. Users see a
// status and a curated message, never internal error text; 5xx are logged.
func errorHandler(v *views.Set, log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, msg := classify(err)
		if denied, ok := permissionDenied(err); ok {
			site, _ := webctx.SiteOf(c)
			log.ErrorContext(c.Request().Context(), "security event: PostgreSQL refused a tenant access outside its schema",
				"event", "security", "tenant", site.Schema, "target", denied, "method", c.Request().Method,
				"path", c.Request().URL.Path, "err", err)
		} else if status >= 500 {
			log.ErrorContext(c.Request().Context(), "request failed", "method", c.Request().Method,
				"path", c.Request().URL.Path, "err", err)
		}
		site, _ := webctx.SiteOf(c)
		page := errorPage{Page: views.Page{Title: http.StatusText(status), SiteName: site.Name}, Message: msg}
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(status)
			return
		}
		if rerr := c.Render(status, "error", page); rerr != nil {
			log.ErrorContext(c.Request().Context(), "render error page", "err", rerr)
			_ = c.String(status, msg)
		}
	}
}

// permissionDenied reports whether err is PostgreSQL's insufficient_privilege
// error, and what it named: under roles isolation, a tenant's query reaching
// for another tenant's schema or the registry ends here.
func permissionDenied(err error) (string, bool) {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		return "", false
	}
	target := pgErr.Message
	if i := strings.Index(target, " for "); i >= 0 {
		target = target[i+len(" for "):] // "schema client2", "table tenants"
	}
	return target, true
}

// classify maps an error to a status and the message a user may see.
func classify(err error) (int, string) {
	var unknown *tenant.UnknownHostError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &unknown):
		return http.StatusNotFound, unknown.Error()
	case errors.Is(err, models.ErrNotFound):
		return http.StatusNotFound, "The page you asked for does not exist."
	case errors.As(err, &he):
		msg := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok && he.Code < 500 && he.Internal == nil {
			msg = m
		}
		switch he.Code {
		case http.StatusNotFound:
			msg = "The page you asked for does not exist."
		case http.StatusRequestEntityTooLarge:
			msg = "The request is too large."
		case http.StatusMethodNotAllowed:
			msg = "This page does not accept that method."
		}
		return he.Code, msg
	default:
		return http.StatusInternalServerError, "Something went wrong on our side. Please try again later."
	}
}
