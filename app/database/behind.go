package database

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// Committing behind (database.commit_behind) ends a read-only transaction
// without waiting for PostgreSQL: its COMMIT is owed on the connection and
// travels in front of the next message sent on it (the next request's
// opening statements, usually), or alone after FlushAfter when none comes.
// The request that read sends its page at once, one round trip sooner, and
// the COMMIT costs neither a write nor a read of its own.
//
// Why that is safe: only a transaction begun READ ONLY commits behind
// (PostgreSQL refuses its writes), and the COMMIT of a transaction that wrote
// nothing cannot change what the visitor was shown: the rows were read and
// are the committed rows of its snapshot whatever COMMIT answers. Its only
// cost is that the transaction stays open a little longer on the server
// (holding the tables' ACCESS SHARE locks, FlushAfter at most when idle).
//
// The rule it imposes: a connection owing a COMMIT is still in a transaction
// as far as pgx knows (pgx saw none end), so it must not go back to
// database/sql, which drops such connections, before Settle. Affinity, which
// keeps the connections between transactions, settles every connection it
// gives back; a Tx without an Affinity never commits behind.

// errUnsettled: pgx still sees a transaction after Settle's statement.
var errUnsettled = errors.New("connection still in a transaction after settling")

// FlushAfter is how long an owed COMMIT waits for a message to travel in
// front of before it is sent alone.
const FlushAfter = 2 * time.Millisecond

// commitMessage is COMMIT as one simple-protocol Query message of its own:
// never joined to the statements that follow it, so that PostgreSQL refusing
// it cannot skip them.
var commitMessage = []byte{'Q', 0, 0, 0, 11, 'C', 'O', 'M', 'M', 'I', 'T', 0}

// HoldCommit owes a COMMIT on the connection, to be sent in front of its
// next message (or by itself after FlushAfter), and reports true; the answer
// is removed from the stream unread. It reports false, owing nothing, when
// the pool does not commit behind: the caller commits itself. Call it only
// for a transaction begun READ ONLY whose statements have all been answered.
func (a *Ahead) HoldCommit() bool {
	if a.behind == 0 {
		return false
	}
	a.mu.Lock()
	a.owed = true
	if a.flush == nil {
		a.flush = time.AfterFunc(a.behind, a.flushOwed)
	} else {
		a.flush.Reset(a.behind)
	}
	a.mu.Unlock()
	return true
}

// flushOwed sends an owed COMMIT that no message carried. A failed write
// leaves a broken connection, which the next query on it reports.
func (a *Ahead) flushOwed() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.owed {
		return
	}
	a.owed = false
	a.committing.Add(1)
	a.pending.Add(1)
	if _, err := a.Conn.Write(commitMessage); err != nil {
		a.behindErr = err
	}
}

// BehindErr is what PostgreSQL answered the last COMMIT sent behind, once
// answered, if it failed: for tests.
func (a *Ahead) BehindErr() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.behindErr
}

// Settle readies a connection that may owe a COMMIT to go back to
// database/sql: when pgx last saw it inside a transaction, one empty
// statement is sent, carrying the COMMIT in front, and its answer (outside
// any transaction) tells pgx so. It returns false when that failed: the
// caller then discards the connection.
func Settle(ctx context.Context, c *sql.Conn) bool {
	err := c.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn().PgConn()
		if pc.TxStatus() == 'I' {
			return nil
		}
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if _, err := pc.Exec(ctx, "-- settle").ReadAll(); err != nil {
			return err
		}
		if pc.TxStatus() != 'I' {
			return errUnsettled
		}
		return nil
	})
	return err == nil
}
