package tenant

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// CommitNext declares that the next statement the transaction behind db (a
// handle from Tx.Gorm, as every request's) runs through Exec — a statement
// that returns no rows — ends it: the COMMIT is sent right behind that
// statement, in the same write, and both are answered in one round trip
// instead of two. A write that is a request's only statement (a vote) costs
// one round trip, also through PgBouncer.
//
// What it means for the caller, as after Checkpoint: once that statement
// returns without error its work is committed, whatever the caller does or
// returns next; a later query begins a new transaction in the same scope.
// If the statement fails, the transaction is rolled back (PostgreSQL skips
// the COMMIT behind a failed statement) and the error returned, as without
// CommitNext. Queries run before that Exec are ordinary ones.
//
// In a pool that holds no statements (database.pipeline_scope off) the
// statement and the COMMIT are each sent and waited for: the same outcome,
// one round trip more. A handle of no tenant transaction is an error.
func CommitNext(db *gorm.DB) error {
	p, ok := db.Statement.ConnPool.(*connPool)
	if !ok {
		return errors.New("tenant.CommitNext: not a tenant transaction's handle")
	}
	if p.tx.done {
		return errors.New("tenant transaction already finished")
	}
	p.tx.commitNext = true
	return nil
}

// execCommit runs q as the transaction's last statement with its COMMIT
// behind it (CommitNext), then leaves the Tx as Checkpoint does.
func (t *Tx) execCommit(ctx context.Context, q string, args []any) (sql.Result, error) {
	t.commitNext = false
	conn, err := t.connection(ctx)
	if err != nil {
		return nil, err
	}
	if !t.ahead.Holds() {
		res, err := conn.ExecContext(ctx, q, args...)
		if err != nil {
			return nil, t.failedLast(err)
		}
		return res, t.Checkpoint(ctx)
	}
	var (
		affected           int64
		stmtErr, commitErr error
		commitTag          string
	)
	err = conn.Raw(func(dc any) error {
		b := &pgx.Batch{}
		b.Queue(q, args...)
		b.Queue("COMMIT")
		br := dc.(*stdlib.Conn).Conn().SendBatch(ctx, b)
		tag, err := br.Exec()
		affected, stmtErr = tag.RowsAffected(), err
		tag, err = br.Exec()
		commitTag, commitErr = tag.String(), err
		return br.Close()
	})
	if stmtErr == nil && commitErr == nil && commitTag == "COMMIT" {
		// Committed, whatever came after PostgreSQL said so: a connection
		// that failed then (the server shutting down) is only dropped.
		if err != nil {
			t.discard()
		} else {
			t.release()
		}
		t.ended()
		return driver.RowsAffected(affected), nil
	}
	if err = cmp.Or(stmtErr, commitErr, err); err != nil { // the statement's failure explains the rest
		return nil, t.failedLast(err)
	}
	t.release()
	t.ended()
	return nil, fmt.Errorf("commit tenant transaction: server answered %s", commitTag)
}

// failedLast ends a transaction whose last statement or COMMIT failed:
// rolled back when PostgreSQL refused it (the opening statements' failure
// reported first, as for any query), the connection discarded when the
// failure was the connection's. The Tx then stands as after Checkpoint.
func (t *Tx) failedLast(err error) error {
	if scopeErr := t.ScopeErr(); scopeErr != nil {
		err = scopeErr
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		t.rollback()
	} else {
		t.discard()
		err = fmt.Errorf("commit tenant transaction: %w", err)
	}
	t.ended()
	return err
}
