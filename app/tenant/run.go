package tenant

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"polls/app/database"
)

// Runner runs units of work in their tenant's scope: what every request of
// `polls serve` goes through. It knows nothing of HTTP.
type Runner struct {
	SQL  *sql.DB  // the pool
	Gorm *gorm.DB // the unscoped GORM handle scoped copies are made from
	// Isolation says whether work runs as the tenant's role.
	Isolation Isolation
	// Timeout bounds each statement, lock wait and idle moment of the
	// transaction (sent with the scoping statements); 0 keeps the server's.
	Timeout time.Duration
	// Shares caps the connections one tenant holds; nil means no cap.
	Shares *Shares
	// Affinity hands each transaction a connection that last served its
	// schema when one is idle (database.affinity); nil takes any from SQL.
	Affinity *database.Affinity

	limitsOnce sync.Once
	limits     database.Statements // Timeout's SET LOCALs, made once
}

// Work is one unit of work on a handle scoped to its tenant. It is committed
// when it returns nil and rolled back otherwise. checkpoint is the
// transaction's Tx.Checkpoint: work that must wait on something slow that
// needs no database calls it first, so that no connection waits with it.
//
// Work may be run more than once: when PostgreSQL refuses a cached statement
// whose result columns changed (a tenant migrated meanwhile: see
// database.IsStalePlan), and, for work declared idempotent, once more when
// its pooled connection turns out to be dead. Each run starts a new
// transaction, the previous one rolled back, so work whose only effects go
// through db is safe; work must not do anything else that cannot be done
// twice (send mail, write to the response before Run returns).
type Work func(db *gorm.DB, checkpoint func(context.Context) error) error

// maxAttempts bounds how often one unit of work is run again after a stale
// cached plan: each attempt clears at least one stale statement from the
// connection.
const maxAttempts = 5

// Run runs work in site's scope, in one transaction, and commits it. ctx
// bounds the wait for a connection (and carries the caller's deadline to
// every query). idempotent says work may be run again on a fresh connection
// when its first one was found dead.
func (r *Runner) Run(ctx context.Context, site Site, idempotent bool, work Work) error {
	r.limitsOnce.Do(func() { r.limits = timeLimits(r.Timeout) })
	scope := Scope{Schema: site.Schema, Timeout: r.Timeout, limits: r.limits}
	if r.Isolation != IsolationSearchPath {
		scope.Role = site.Role
	}
	var gate Gate
	if r.Shares != nil {
		gate = r.Shares
	}
	retriedDeadConn := false
	for attempt := 1; ; attempt++ {
		err := r.runOnce(ctx, scope, gate, work)
		switch {
		case err == nil:
			return nil
		case database.IsStalePlan(err) && attempt < maxAttempts:
			continue
		case idempotent && !retriedDeadConn && IsDeadConn(err) && ctx.Err() == nil:
			retriedDeadConn = true
			continue
		}
		return err
	}
}

// runOnce runs work once in a new transaction.
func (r *Runner) runOnce(ctx context.Context, scope Scope, gate Gate, work Work) error {
	tx := Open(r.SQL, scope, gate)
	tx.affinity = r.Affinity
	defer tx.Rollback()
	err := work(tx.Gorm(ctx, r.Gorm), tx.Checkpoint)
	// The transaction's own failures explain the work's: a connection not
	// taken, or opening statements refused (then every query only says the
	// transaction is aborted).
	if txErr := tx.Err(); txErr != nil {
		return txErr
	}
	if scopeErr := tx.ScopeErr(); scopeErr != nil {
		return scopeErr
	}
	if err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// IsDeadConn reports whether err says the connection itself failed (closed
// by the server, reset, terminated by an administrator), rather than the
// query: such work never reached PostgreSQL's answer, and a fresh connection
// may succeed.
func IsDeadConn(err error) bool {
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "57P01", "57P02": // admin_shutdown, crash_shutdown: the backend is gone
			return true
		}
		return false
	}
	var opErr *net.OpError
	return errors.As(err, &opErr) || pgconn.SafeToRetry(err)
}
