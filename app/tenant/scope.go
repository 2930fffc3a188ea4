package tenant

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"polls/app/database"
)

// Tx is one request's transaction, on one pooled connection, with the
// search_path set transaction-locally to the tenant's schema. Nothing is set at
// session level, so the connection is clean again after COMMIT or ROLLBACK, also
// behind PgBouncer in transaction mode.
type Tx struct {
	conn   *sql.Conn
	ahead  *database.Ahead // holds the opening statements until the first query
	schema string
	done   bool
}

// Begin opens a transaction scoped to schema only (no role switch): for
// polls' own maintenance work, which acts as the schema's owner.
func Begin(ctx context.Context, db *sql.DB, schema string) (*Tx, error) {
	return BeginAs(ctx, db, schema, "")
}

// BeginAs takes a connection and opens the tenant's transaction: search_path
// set to schema and, when role is not empty, the current role switched to the
// tenant's, so PostgreSQL refuses access to anything the tenant does not own.
// The opening statements cost no round trip of their own: they travel in
// front of the transaction's first query (database.Ahead), and a request that
// sends no query sends nothing at all. Identifiers were validated when the
// tenant was created and are quoted here.
func BeginAs(ctx context.Context, db *sql.DB, schema, role string) (*Tx, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("take connection: %w", err)
	}
	q := "BEGIN; SET LOCAL search_path TO " + pgx.Identifier{schema}.Sanitize()
	if role != "" {
		q += "; SET LOCAL ROLE " + pgx.Identifier{role}.Sanitize()
	}
	tx := &Tx{conn: conn, schema: schema}
	_ = conn.Raw(func(dc any) error {
		tx.ahead = database.AheadOf(dc)
		return nil
	})
	if tx.ahead == nil {
		conn.Close()
		return nil, errors.New("tenant transactions need a pool opened by database.Open")
	}
	tx.ahead.Hold(q)
	return tx, nil
}

// ScopeErr reports whether the opening statements failed once they reached
// PostgreSQL (a missing role, say): the queries after them then only say the
// transaction is aborted, so this is the error worth reporting.
func (t *Tx) ScopeErr() error {
	if err := t.ahead.Err(); err != nil {
		return fmt.Errorf("begin tenant transaction for %s: %w", t.schema, err)
	}
	return nil
}

// unsent reports, and forgets, opening statements that never left: then the
// transaction does not exist on the server and ending it needs no round trip.
func (t *Tx) unsent() bool { return t.ahead.Drop() }

// Gorm returns a GORM handle bound to this transaction.
func (t *Tx) Gorm(ctx context.Context, base *gorm.DB) *gorm.DB {
	db := base.Session(&gorm.Session{NewDB: true, Context: ctx})
	db.Statement.ConnPool = &connPool{t.conn}
	return db
}

// Commit commits and releases the connection. A COMMIT that PostgreSQL turned
// into a ROLLBACK (the transaction had failed) is an error.
func (t *Tx) Commit(ctx context.Context) error {
	if t.done {
		return errors.New("tenant transaction already finished")
	}
	t.done = true
	if t.unsent() {
		t.conn.Close()
		return nil
	}
	if err := t.ScopeErr(); err != nil {
		t.rollback()
		return err
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
		discard(t.conn)
		return fmt.Errorf("commit tenant transaction: %w", err)
	}
	t.conn.Close()
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
		t.conn.Close()
		return
	}
	t.rollback()
}

// rollback ends the transaction on the server and releases the connection.
func (t *Tx) rollback() {
	// The request's ctx may be cancelled already; the rollback must still run.
	if _, err := t.conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		discard(t.conn)
		return
	}
	t.conn.Close()
}

// discard closes a connection whose state is unknown so it never returns to the pool.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(dc any) error {
		_ = dc.(*stdlib.Conn).Close()
		return nil
	})
	conn.Close()
}

// errManaged is what handler code gets if it tries to end the request's transaction.
var errManaged = errors.New("the request's transaction is committed by polls after the handler returns")

// connPool is GORM's view of the transaction. It implements gorm.TxCommitter so
// that GORM treats it as a transaction already begun: a nested db.Transaction
// becomes a SAVEPOINT, and nothing but polls can commit or roll back.
type connPool struct{ conn *sql.Conn }

func (p *connPool) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return p.conn.PrepareContext(ctx, q)
}

func (p *connPool) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return p.conn.ExecContext(ctx, q, args...)
}

func (p *connPool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return p.conn.QueryContext(ctx, q, args...)
}

func (p *connPool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return p.conn.QueryRowContext(ctx, q, args...)
}

func (*connPool) Commit() error   { return errManaged }
func (*connPool) Rollback() error { return errManaged }
