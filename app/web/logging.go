package web

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// requestLog writes one line per request: tenant, method, path, status, duration.
// It hands errors to the error handler itself so the status it logs is final.
func requestLog(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			if err := next(c); err != nil {
				c.Error(err)
			}
			site := siteOf(c)
			level := slog.LevelInfo
			status := c.Response().Status
			switch {
			case status == http.StatusServiceUnavailable:
				level = slog.LevelWarn // a limit acted: errorHandler said which
			case status >= 500:
				level = slog.LevelError
			}
			log.LogAttrs(c.Request().Context(), level, "request",
				slog.String("tenant", site.Schema),
				slog.String("method", c.Request().Method),
				slog.String("path", c.Request().URL.Path),
				slog.Int("status", status),
				slog.Duration("duration", time.Since(start)))
			return nil
		}
	}
}
