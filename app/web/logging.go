package web

import (
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/config"
)

// accessLog writes the access line of a request (tenant, method, path,
// status, duration) as log.requests chooses, and tells the Observer of every
// request. It hands errors to the error handler itself so the status it logs
// and counts is final.
type accessLog struct {
	log    *slog.Logger
	policy config.RequestLog
	obs    Observer
	pages  *pages
	seen   atomic.Uint64 // requests so far, for sample:N
}

func (a *accessLog) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		limit := ""
		if err := next(c); err != nil {
			c.Error(err)
			if c.Request().Context().Err() == nil { // a client gone is no limit acting
				limit = classify(err).kind
			}
		}
		took := time.Since(start)
		status := c.Response().Status
		a.obs.Request(a.pages.of(c), status, took)
		if limit != "" {
			a.obs.Refused(limit)
		}
		if !a.wants(status, limit) {
			return nil
		}
		site := siteOf(c)
		level := slog.LevelInfo
		switch {
		case status == http.StatusServiceUnavailable:
			level = slog.LevelWarn // a limit acted: errorHandler said which
		case status >= 500:
			level = slog.LevelError
		}
		a.log.LogAttrs(c.Request().Context(), level, "request",
			slog.String("tenant", site.Schema),
			slog.String("method", c.Request().Method),
			slog.String("path", c.Request().URL.Path),
			slog.Int("status", status),
			slog.Duration("duration", took))
		return nil
	}
}

// wants reports whether a request answered with status, refused by limit
// ("" if none), gets an access line. Requests are counted for sample:N
// whether logged or not, so exactly one in N is sampled.
func (a *accessLog) wants(status int, limit string) bool {
	switch a.policy.Mode {
	case config.LogNoRequests:
		return false
	case config.LogErrorRequests:
		return notable(status, limit)
	case config.LogSampledRequests:
		n := a.seen.Add(1)
		return notable(status, limit) || n%uint64(a.policy.Every) == 0
	}
	return true
}

// notable reports whether a request deserves a line even when the access
// log is cut down: failures, limits acting, and 4xx that say a client or a
// page is wrong. Not the 4xx every site answers all day: a page or tenant
// that does not exist (404, scanners), a wrong method (405), a suspended
// site (402), a client that hung up (499, which has its own line).
func notable(status int, limit string) bool {
	switch {
	case limit != "", status >= 500:
		return true
	case status == http.StatusNotFound, status == http.StatusMethodNotAllowed, status == http.StatusPaymentRequired,
		status == statusClientGone:
		return false
	}
	return status >= 400
}
