package tenant

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"polls/app/database"
)

// Tx is one unit of work's transaction, on one pooled connection, with the
// search_path (and the role, and the time limits) set transaction-locally.
// Nothing is set at session level, so the connection is clean again after
// COMMIT or ROLLBACK, also behind PgBouncer in transaction mode.
//
// The connection is taken at the first query, not when the Tx is made: work
// that never queries holds no connection, and no connection waits on anything
// that happens before (a request's body being read, a tenant's turn).
type Tx struct {
	db      *sql.DB
	scope   Scope
	opening database.Statements // BEGIN and the SET LOCALs, held in front of the first query
	gate    Gate                // nil: no per-tenant cap
	// openingBuf holds opening's statements inside the Tx: one allocation
	// fewer per request.
	openingBuf [6]database.Statement
	// affinity hands out connections that last served this schema first;
	// nil: straight from db.
	affinity *database.Affinity

	conn  *sql.Conn
	ahead *database.Ahead // holds the opening statements until the first query
	leave func()          // gives the tenant's share back; nil when none was taken
	err   error           // why the connection could not be taken, once tried
	// pending says the opening statements are still to be sent alone, before
	// the first query (a pool that holds none).
	pending  bool
	scopeErr error // the opening statements' failure, when sent alone
	done     bool
	// readOnly: begun READ ONLY (ReadOnly), so its COMMIT may be sent
	// behind (database.HoldCommit) when it has an affinity.
	readOnly bool
	// commitNext: the next Exec is the transaction's last, its COMMIT sent
	// with it (CommitNext).
	commitNext bool
}

// Scope says how a transaction is scoped.
type Scope struct {
	Schema string
	// Role is the role the transaction runs as; "" keeps polls' own user
	// (maintenance work, which acts as the schema's owner).
	Role string
	// Timeout bounds every statement, every lock wait and every idle moment
	// inside the transaction (statement_timeout, lock_timeout and
	// idle_in_transaction_session_timeout, set locally); 0 keeps the server's.
	Timeout time.Duration

	// limits are Timeout's three SET LOCALs made once by a Runner for all
	// its transactions; nil: made from Timeout for this one.
	limits database.Statements
}

// Gate hands out a tenant's share of the pool: Enter waits (within ctx) for a
// turn and returns the function that gives it back. Shares is polls' gate.
type Gate interface {
	Enter(ctx context.Context, schema string) (leave func(), err error)
}

// Begin opens a transaction scoped to schema only (no role switch): for
// polls' own maintenance work, which acts as the schema's owner.
func Begin(ctx context.Context, db *sql.DB, schema string) (*Tx, error) {
	return BeginAs(ctx, db, schema, "")
}

// BeginAs opens a transaction of schema as role ("" for none) and takes its
// connection at once: for commands and tests, whose first query follows
// straight away. Requests use Open, which waits for the first query.
func BeginAs(ctx context.Context, db *sql.DB, schema, role string) (*Tx, error) {
	tx := Open(db, Scope{Schema: schema, Role: role}, nil)
	if _, err := tx.acquire(ctx); err != nil {
		tx.Rollback()
		return nil, err
	}
	return tx, nil
}

// Open prepares a transaction scoped by s; the connection is taken (after a
// turn from gate, if not nil) by the first query. The opening statements cost
// no round trip of their own: they travel in front of that first query
// (database.Ahead), and work that sends no query sends nothing at all. In a
// pool opened with database.Options.PipelineScope off they are sent alone,
// as an ordinary statement, just before the first query.
func Open(db *sql.DB, s Scope, gate Gate) *Tx {
	t := &Tx{db: db, scope: s, gate: gate}
	t.opening = s.appendOpening(t.openingBuf[:0])
	return t
}

// appendOpening appends BEGIN and the SET LOCALs that scope a transaction to
// q (the database package quotes every name and value): six at most.
func (s Scope) appendOpening(q database.Statements) database.Statements {
	q = append(q, database.Begin(), database.SetLocalSearchPath(s.Schema))
	if s.Role != "" {
		q = append(q, database.SetLocalRole(s.Role))
	}
	if s.Timeout > 0 {
		limits := s.limits
		if limits == nil {
			limits = timeLimits(s.Timeout)
		}
		q = append(q, limits...)
	}
	return q
}

// timeLimits are the SET LOCALs bounding every statement, lock wait and idle
// moment of a transaction to d.
func timeLimits(d time.Duration) database.Statements {
	return database.Statements{database.SetLocalStatementTimeout(d), database.SetLocalLockTimeout(d),
		database.SetLocalIdleTimeout(d)}
}

// connection returns the transaction's connection for a query, taking it on
// first use (acquire) and, in a pool that holds no statements, sending the
// opening statements before the first query.
func (t *Tx) connection(ctx context.Context) (*sql.Conn, error) {
	conn, err := t.acquire(ctx)
	if err != nil || !t.pending {
		return conn, err
	}
	t.pending = false
	if err := t.sendOpening(ctx); err != nil {
		return nil, err
	}
	return conn, nil
}

// acquire takes the transaction's connection on first use: the tenant's turn
// first, then a connection from the pool, both within ctx and the scope's
// Timeout. The opening statements are held for the first query, or left
// pending when the pool holds none.
func (t *Tx) acquire(ctx context.Context) (*sql.Conn, error) {
	if t.conn != nil || t.err != nil {
		return t.conn, t.err
	}
	if t.done {
		return nil, errors.New("tenant transaction already finished")
	}
	if t.scope.Timeout > 0 { // the wait for a turn and a connection is part of the budget
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t.scope.Timeout)
		defer cancel()
	}
	if t.gate != nil {
		leave, err := t.gate.Enter(ctx, t.scope.Schema)
		if err != nil {
			t.err = err
			return nil, err
		}
		t.leave = leave
	}
	conn, err := t.take(ctx)
	if err != nil {
		t.err = t.waitError(ctx, err)
		t.release()
		return nil, t.err
	}
	_ = conn.Raw(func(dc any) error {
		t.ahead = database.AheadOf(dc)
		return nil
	})
	t.conn = conn
	if t.ahead == nil {
		t.err = errors.New("tenant transactions need a pool opened by database.Open")
		t.release()
		t.conn = nil
		return nil, t.err
	}
	t.pending = !t.ahead.Hold(t.opening)
	return conn, nil
}

// sendOpening sends the opening statements on their own (a pool that holds
// none: database.pipeline_scope off), one round trip before the first query.
// PostgreSQL refusing them is the transaction's ScopeErr; a connection that
// failed is its Err, as if it could not be taken.
func (t *Tx) sendOpening(ctx context.Context) error {
	_, err := t.conn.ExecContext(ctx, t.opening.SQL())
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		t.scopeErr = &ScopeError{Schema: t.scope.Schema, Err: err}
		return t.scopeErr
	}
	t.err = fmt.Errorf("begin tenant transaction for %s: %w", t.scope.Schema, err)
	return t.err
}

// take takes a connection: through the affinity when there is one.
func (t *Tx) take(ctx context.Context) (*sql.Conn, error) {
	if t.affinity != nil {
		return t.affinity.Take(ctx, t.scope.Schema)
	}
	return t.db.Conn(ctx)
}

// waitError explains a connection that could not be taken: out of time while
// every connection was in use is the busy case; anything else (PostgreSQL
// refusing, unreachable) keeps its cause.
func (t *Tx) waitError(ctx context.Context, err error) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return &BusyError{Schema: t.scope.Schema, Limit: BusyPoolWait, Reason: "no database connection came free in time", Err: err}
	}
	return fmt.Errorf("take connection for %s: %w", t.scope.Schema, err)
}

// release closes the connection (back to the pool) and gives the tenant's
// share back.
func (t *Tx) release() {
	switch {
	case t.conn == nil:
	case t.affinity != nil:
		t.affinity.Put(t.conn, t.scope.Schema)
	default:
		t.conn.Close()
	}
	if t.leave != nil {
		t.leave()
		t.leave = nil
	}
}

// Err is why the transaction could not take its connection (a *BusyError when
// the tenant's share or the pool had none free in time), or nil.
func (t *Tx) Err() error { return t.err }

// ScopeErr reports whether the opening statements failed once they reached
// PostgreSQL (a missing role, say): the queries after them then only say the
// transaction is aborted, so this is the error worth reporting.
func (t *Tx) ScopeErr() error {
	if t.scopeErr != nil {
		return t.scopeErr
	}
	if t.ahead == nil {
		return nil
	}
	if err := t.ahead.Err(); err != nil {
		return &ScopeError{Schema: t.scope.Schema, Err: err}
	}
	return nil
}

// unsent reports, and forgets, opening statements that never left (or a
// connection never taken): then the transaction does not exist on the server
// and ending it needs no round trip.
func (t *Tx) unsent() bool { return t.conn == nil || t.pending || t.ahead.Drop() }

// Gorm returns a GORM handle bound to this transaction.
func (t *Tx) Gorm(ctx context.Context, base *gorm.DB) *gorm.DB {
	db := base.Session(&gorm.Session{NewDB: true, Context: ctx})
	db.Statement.ConnPool = &connPool{t}
	return db
}

// Commit commits and releases the connection. A COMMIT that PostgreSQL turned
// into a ROLLBACK (the transaction had failed) is an error.
func (t *Tx) Commit(ctx context.Context) error {
	if t.done {
		return errors.New("tenant transaction already finished")
	}
	t.done = true
	return t.commit(ctx)
}

// Checkpoint commits what the transaction did so far and gives its
// connection (and its tenant's turn) back; the next query begins a new
// transaction in the same scope. For work that must wait on something slow
// that needs no database (hashing a password), so that no connection waits
// with it. What came before the checkpoint stays committed even if what
// follows fails.
func (t *Tx) Checkpoint(ctx context.Context) error {
	if t.done {
		return errors.New("tenant transaction already finished")
	}
	if t.err != nil {
		return t.err
	}
	err := t.commit(ctx)
	t.ended()
	return err
}

// ended forgets the connection of a transaction that ended before the work
// did (Checkpoint, CommitNext): the next query begins another one.
func (t *Tx) ended() { t.conn, t.ahead, t.scopeErr, t.pending = nil, nil, nil, false }

// commit ends the transaction on the server, if it began there, and
// releases its connection.
func (t *Tx) commit(ctx context.Context) error {
	if t.unsent() {
		t.release()
		return nil
	}
	if err := t.ScopeErr(); err != nil {
		t.rollback()
		return err
	}
	if t.readOnly && t.affinity != nil && t.ahead.HoldCommit() {
		// Nothing to wait for: see database/behind.go for why a read-only
		// transaction's COMMIT cannot change what its work returned.
		t.release()
		return nil
	}
	// The work is done: finish it even if the client has gone away meanwhile.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var tag string
	err := t.conn.Raw(func(dc any) error {
		ct, err := dc.(*stdlib.Conn).Conn().Exec(ctx, "COMMIT")
		tag = ct.String()
		return err
	})
	if err != nil {
		t.discard()
		return fmt.Errorf("commit tenant transaction: %w", err)
	}
	t.release()
	if tag != "COMMIT" {
		return fmt.Errorf("commit tenant transaction: server answered %s", tag)
	}
	return nil
}

// Rollback rolls back and releases the connection; after Commit it does nothing.
func (t *Tx) Rollback() {
	if t.done {
		return
	}
	t.done = true
	if t.unsent() {
		t.release()
		return
	}
	t.rollback()
}

// rollback ends the transaction on the server and releases the connection.
func (t *Tx) rollback() {
	// The request's ctx may be cancelled already; the rollback must still run.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := t.conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.discard()
		return
	}
	t.release()
}

// discard closes a connection whose state is unknown so it never returns to
// the pool, and gives the tenant's share back.
func (t *Tx) discard() {
	if t.affinity != nil {
		t.affinity.Discard(t.conn)
		t.conn = nil
		t.release() // the tenant's share
		return
	}
	_ = t.conn.Raw(func(dc any) error {
		_ = dc.(*stdlib.Conn).Close()
		return nil
	})
	t.release()
}

// errManaged is what handler code gets if it tries to end the request's transaction.
var errManaged = errors.New("the request's transaction is committed by polls after the handler returns")

// connPool is GORM's view of the transaction. It implements gorm.TxCommitter so
// that GORM treats it as a transaction already begun: a nested db.Transaction
// becomes a SAVEPOINT, and nothing but polls can commit or roll back.
type connPool struct{ tx *Tx }

func (p *connPool) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	conn, err := p.tx.connection(ctx)
	if err != nil {
		return nil, err
	}
	return conn.PrepareContext(ctx, q)
}

func (p *connPool) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if p.tx.commitNext {
		return p.tx.execCommit(ctx, q, args)
	}
	conn, err := p.tx.connection(ctx)
	if err != nil {
		return nil, err
	}
	return conn.ExecContext(ctx, q, args...)
}

func (p *connPool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	conn, err := p.tx.connection(ctx)
	if err != nil {
		return nil, err
	}
	return conn.QueryContext(ctx, q, args...)
}

// QueryRowContext cannot hand over why no connection could be taken (sql.Row
// keeps its error private): its row fails to scan with context.Canceled, and
// Tx.Err tells the real cause.
func (p *connPool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	conn, err := p.tx.connection(ctx)
	if err != nil {
		done, cancel := context.WithCancel(ctx)
		cancel()
		return p.tx.db.QueryRowContext(done, q) // refused before taking a connection
	}
	return conn.QueryRowContext(ctx, q, args...)
}

func (*connPool) Commit() error   { return errManaged }
func (*connPool) Rollback() error { return errManaged }
