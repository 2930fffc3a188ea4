// Package platformadmin is the platform's own admin, at the main domain's
// /admin/: its operators list, inspect and change tenants there. It logs in,
// out and changes passwords through app/admin's code, on the handle the
// platform lifecycle gives it (search_path polls_platform), so its users are
// the platform's own and a tenant's users are not even found. What it does
// to a tenant it does through the functions the CLI calls (app/tenant:
// Provisioner.Create and Clone, ChangePlan, AddDomain, RemoveDomain,
// MakePrimary, Rename, DeleteAfter, Export),
// one code path with two front doors.
//
// The exception to webctx.Request's rule, and why it is safe: those
// functions change the registry (and delete schemas) in transactions of
// their own on the pool, not through r.DB, because that is the CLI's path
// and because every running server must see the change at once. Each
// handler reads through r.DB first and writes its log entry through r.DB
// only after the change, so a re-run (which happens only when PostgreSQL
// refuses a cached statement of the platform schema) repeats a change that
// sets the same values again (plan, suspension, primary domain), or
// refuses one already done (a domain added or removed, a tenant added,
// cloned, renamed or deleted) with the form's message or a 404; nothing is
// lost or done twice. Exports and deletions give the request's connection
// back first (webctx.Request.Checkpoint), as they outlast its budget.
package platformadmin

import (
	"database/sql"
	"log/slog"
	"time"

	"polls/app/admin"
	"polls/app/tenant"
)

// Handler serves the platform admin's pages.
type Handler struct {
	admin       *admin.Handler
	db          *sql.DB
	provisioner *tenant.Provisioner
	needs       int64
	now         func() time.Time
	log         *slog.Logger
}

// Config is what New needs.
type Config struct {
	// Admin logs platform users in and out (the tenant admin's code, on the
	// platform's handle): pass the process's, whose throttle and hashing
	// slots are shared with every tenant.
	Admin *admin.Handler
	// DB is the pool the tenant functions run on, as the CLI's.
	DB *sql.DB
	// Provisioner creates tenants, the one createtenant uses.
	Provisioner *tenant.Provisioner
	// TenantVersion is the tenant migration version the server's code needs,
	// to tell which tenants are behind; 0: none.
	TenantVersion int64
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Log records what the pages cannot say (why an archive failed); nil:
	// nowhere.
	Log *slog.Logger
}

// New returns the platform admin's handlers.
func New(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Handler{admin: cfg.Admin, db: cfg.DB, provisioner: cfg.Provisioner, needs: cfg.TenantVersion, now: cfg.Now, log: cfg.Log}
}
