// Package webctx is what the tenant lifecycle (app/web/scope.go) hands the
// polls and admin handlers: one typed Request, passed as an argument, so a
// handler never looks up keys in echo's context nor knows how its database
// handle was scoped.
package webctx

import (
	"context"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"polls/app/i18n"
	"polls/app/tenant"
)

// Request is what the lifecycle prepared for one request to a tenant's site.
//
// The rule for every handler that receives one: it may be run more than once
// for one request, each time in a new transaction with the previous one
// rolled back and its response discarded (tenant.Work says when; also when
// its tenant was renamed under it, app/web/scope.go). So a
// handler's effects go through DB only; anything else it changes (memory,
// files, mail) must survive being done twice. And its response is sent only
// after COMMIT: a handler cannot stream.
type Request struct {
	// DB is scoped to the request's tenant and already in its transaction;
	// a re-run gets a new one.
	DB *gorm.DB
	// Site is the site the request is for.
	Site Site
	// Secure says the visitor reached the site over TLS, directly or through
	// a trusted proxy (server.trusted_proxies): every cookie set for the
	// request is then Secure.
	Secure bool
	// CSRF is the token forms must post back as csrfmiddlewaretoken.
	CSRF string
	// RotateCSRF gives the visitor a new CSRF token (and r.CSRF), as Django
	// does at login, so a token seen before cannot be used after it.
	RotateCSRF func()
	// Checkpoint commits what the handler did through DB so far and gives
	// the connection back; DB's next query begins a new transaction. Call it
	// before slow work that needs no database (hashing a password), so that
	// no connection waits on it. What came before stays committed even if
	// what follows fails, and a re-run starts again from the top.
	Checkpoint func(context.Context) error
	// ReadOnly declares the transaction read-only before its first query
	// (HandleReadOnly calls it): PostgreSQL then refuses any write in it, and
	// polls may send the page before COMMIT is answered (database.commit_behind).
	ReadOnly func() error
}

// CommitNext makes DB's next Exec (a statement without rows) the
// transaction's last: its COMMIT travels with it, one round trip in all
// (tenant.CommitNext). Once that Exec succeeds the work is committed,
// whatever the handler returns after it; a later query begins a new
// transaction, as after Checkpoint. A method, not a field set per request:
// only the handlers that use it pay for it.
func (r *Request) CommitNext() error { return tenant.CommitNext(r.DB) }

// Site describes the site a request is for.
type Site struct {
	Name   string // shown to visitors
	Schema string // for logs only; handlers never use it in SQL
	// Suspended: the site's public pages answer 402 and only its superusers
	// may use its admin. OnTrial: the admin says so.
	Suspended, OnTrial bool
	// Lang is the language the request is answered in: the tenant's own,
	// or the visitor's choice when the tenant allows any (i18n.Negotiate).
	// Empty means English.
	Lang i18n.Lang
}

// HandlerFunc is a handler behind the tenant lifecycle; see Request for the
// rule it must follow.
type HandlerFunc func(c echo.Context, r *Request) error

// requestKey is the one key of echo's context the lifecycle uses.
const requestKey = "polls.request"

// Set stores the request's Request; only the lifecycle calls it.
func Set(c echo.Context, r *Request) { c.Set(requestKey, r) }

// From returns the request's Request, if the lifecycle has stored one: the
// error page and the request log read the site from it.
func From(c echo.Context) (*Request, bool) {
	r, ok := c.Get(requestKey).(*Request)
	return r, ok
}

// HandleReadOnly is Handle for a page that only reads: its transaction is
// begun READ ONLY, so a write in h fails (PostgreSQL refuses it) instead of
// being sent before its COMMIT is known to have succeeded.
func HandleReadOnly(h HandlerFunc) echo.HandlerFunc {
	return Handle(func(c echo.Context, r *Request) error {
		if err := r.ReadOnly(); err != nil {
			return err
		}
		return h(c, r)
	})
}

// Handle adapts h to echo. It panics when the route is not behind the tenant
// lifecycle, or runs outside its transaction: that is a programming error,
// and failing loudly beats touching the wrong schema.
func Handle(h HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r, ok := From(c)
		if !ok || r.DB == nil {
			panic("webctx.Handle: route is not behind the tenant lifecycle")
		}
		return h(c, r)
	}
}
