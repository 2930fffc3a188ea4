package tenant

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// errEnclosed is a Fill trying to end or nest the creation's transaction,
// which only the provisioner commits.
var errEnclosed = errors.New("fill runs inside the tenant's creation: its transaction is the provisioner's to end")

// fillEnclosed runs fill on conn's PostgreSQL connection while the
// database/sql transaction buildFromTemplate opened on it is in progress, so
// Fill's statements are part of that one transaction. database/sql gives no
// pgx.Tx for its own transaction; enclosedTx is one that cannot end it.
func fillEnclosed(ctx context.Context, conn *sql.Conn, fill func(context.Context, pgx.Tx) error) error {
	return conn.Raw(func(driverConn any) error {
		return fill(ctx, enclosedTx{c: driverConn.(*stdlib.Conn).Conn()})
	})
}

// enclosedTx is a pgx.Tx over a connection already inside a transaction.
type enclosedTx struct{ c *pgx.Conn }

var _ pgx.Tx = enclosedTx{}

func (t enclosedTx) Begin(context.Context) (pgx.Tx, error) { return nil, errEnclosed }
func (t enclosedTx) Commit(context.Context) error          { return errEnclosed }
func (t enclosedTx) Rollback(context.Context) error        { return errEnclosed }
func (t enclosedTx) LargeObjects() pgx.LargeObjects        { return pgx.LargeObjects{} }
func (t enclosedTx) Conn() *pgx.Conn                       { return t.c }

func (t enclosedTx) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	return t.c.CopyFrom(ctx, table, cols, src)
}

func (t enclosedTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return t.c.SendBatch(ctx, b)
}

func (t enclosedTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	return t.c.Prepare(ctx, name, sql)
}

func (t enclosedTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return t.c.Exec(ctx, sql, args...)
}

func (t enclosedTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return t.c.Query(ctx, sql, args...)
}

func (t enclosedTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return t.c.QueryRow(ctx, sql, args...)
}
