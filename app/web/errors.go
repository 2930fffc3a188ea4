package web

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/labstack/echo/v4"

	"polls/app/auth"
	"polls/app/i18n"
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
// status and a curated message, never internal error text. Failures of ours
// are logged as errors; polls' limits acting (busy, over a rate, database
// unavailable) as warnings naming the tenant and the limit; a client that
// went away as information (499, nothing is sent).
func errorHandler(v *views.Set, log *slog.Logger) echo.HTTPErrorHandler {
	refusals := newRefusalLog(log)
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		req := c.Request()
		site := siteOf(c)
		out := classify(err)
		if req.Context().Err() != nil {
			// The client hung up: whatever failed after that (a query
			// cancelled, a statement cut short) failed because of it.
			out = outcome{status: statusClientGone}
		}
		switch denied, isDenied := permissionDenied(err); {
		case isDenied:
			log.ErrorContext(req.Context(), "security event: PostgreSQL refused a tenant access outside its schema",
				"event", "security", "tenant", site.Schema, "target", denied, "method", req.Method,
				"path", req.URL.Path, "err", err)
		case out.status == statusClientGone:
			log.InfoContext(req.Context(), "client went away before the answer", "tenant", site.Schema,
				"method", req.Method, "path", req.URL.Path)
			c.Response().WriteHeader(statusClientGone) // for the request log; the client reads nothing
			return
		case out.limit != "":
			refusals.refused(req.Context(), site.Schema, out.limit, out.status, req.Method, req.URL.Path, err)
		case out.status >= 500:
			log.ErrorContext(req.Context(), "request failed", "tenant", site.Schema, "method", req.Method,
				"path", req.URL.Path, "err", err)
		}
		// Messages are written in English and translated here, the one
		// place they are shown; each is a key of app/i18n's catalogs.
		// A request answered before its site was known (a wrong method,
		// an unknown host) follows the visitor's Accept-Language.
		lang := site.Lang
		if _, known := webctx.From(c); !known {
			lang = i18n.Negotiate(i18n.English, true, req.Header.Get("Accept-Language"))
		}
		z := i18n.For(lang)
		page := errorPage{Page: views.Page{Title: z.Message(http.StatusText(out.status)), SiteName: site.Name, Lang: lang},
			Message: z.Message(out.msg)}
		h := c.Response().Header()
		h.Set(echo.HeaderCacheControl, "no-store")
		if out.retryAfter > 0 {
			h.Set("Retry-After", strconv.Itoa(int(math.Ceil(out.retryAfter.Seconds()))))
		}
		if req.Method == http.MethodHead {
			_ = c.NoContent(out.status)
			return
		}
		if rerr := c.Render(out.status, "error", page); rerr != nil {
			log.ErrorContext(req.Context(), "render error page", "err", rerr)
			_ = c.String(out.status, out.msg)
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

// statusClientGone is the status logged for a request whose client closed
// the connection before the answer (nginx's 499).
const statusClientGone = 499

// Messages of the limits, shown on the error page.
const (
	msgBusy        = "This site is busy right now. Please try again in a moment."
	msgUnavailable = "The site is temporarily unavailable. Please try again in a moment."
	msgInternal    = "Something went wrong on our side. Please try again later."
)

// outcome is what an error becomes: the status and message a user sees,
// when to come back, and which limit acted (empty when none did): limit in
// prose for the log, kind as one of the few Limit* names for counting.
type outcome struct {
	status     int
	msg        string
	retryAfter time.Duration
	limit      string
	kind       string
}

// classify maps an error to what the user sees.
func classify(err error) outcome {
	var unknown *tenant.UnknownHostError
	var he *echo.HTTPError
	var limited *limitError
	var busy *tenant.BusyError
	var hashBusy *auth.BusyError
	var maintenance *maintenanceError
	switch {
	case errors.As(err, &maintenance):
		return maintenance.outcome()
	case errors.As(err, &unknown):
		return outcome{status: http.StatusNotFound, msg: unknown.Error()}
	case errors.Is(err, models.ErrNotFound):
		return outcome{status: http.StatusNotFound, msg: "The page you asked for does not exist."}
	case errors.Is(err, models.ErrConflict):
		return outcome{status: http.StatusConflict, msg: "Someone else changed this at the same time. Reload the page and try again."}
	case errors.As(err, &limited):
		return outcome{status: limited.status, msg: limited.msg, retryAfter: limited.after, limit: limited.reason, kind: limited.kind}
	case errors.As(err, &busy):
		return outcome{status: http.StatusServiceUnavailable, msg: msgBusy, retryAfter: time.Second, limit: busy.Reason,
			kind: busyKind(busy.Limit)}
	case errors.As(err, &hashBusy):
		return outcome{status: http.StatusServiceUnavailable, msg: msgBusy, retryAfter: time.Second,
			limit: "every password hashing slot (auth.hash_concurrency) stayed in use", kind: LimitHashSlots}
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
		return outcome{status: he.Code, msg: msg}
	}
	if reason, ok := overBudget(err); ok {
		return outcome{status: http.StatusServiceUnavailable, msg: msgBusy, retryAfter: time.Second, limit: reason,
			kind: LimitRequestTimeout}
	}
	if reason, ok := databaseUnavailable(err); ok {
		return outcome{status: http.StatusServiceUnavailable, msg: msgUnavailable, retryAfter: 5 * time.Second, limit: reason,
			kind: LimitDatabase}
	}
	return outcome{status: http.StatusInternalServerError, msg: msgInternal}
}

// overBudget reports whether err is the request's budget running out
// (server.request_timeout): a statement, a lock wait or the whole request.
func overBudget(err error) (string, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "57014":
			return "a statement ran past server.request_timeout", true
		case "55P03":
			return "a lock wait ran past server.request_timeout", true
		case "25P03":
			return "the transaction sat idle past server.request_timeout", true
		}
		return "", false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "the request ran past server.request_timeout", true
	}
	return "", false
}

// databaseUnavailable reports whether err is PostgreSQL refusing or dropping
// connections (too many clients, starting up or shutting down, unreachable)
// rather than anything about the request.
func databaseUnavailable(err error) (string, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "53300":
			return "PostgreSQL has no connection slot free (max_connections)", true
		case pgErr.Code == "57P03", pgErr.Code == "57P01", pgErr.Code == "57P02":
			return "PostgreSQL is starting up or shutting down", true
		case strings.HasPrefix(pgErr.Code, "08"), strings.HasPrefix(pgErr.Code, "53"):
			return "PostgreSQL refused the connection: " + pgErr.Code, true
		}
		return "", false
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) || tenant.IsDeadConn(err) {
		return "the database could not be reached", true
	}
	return "", false
}
