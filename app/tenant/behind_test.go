package tenant_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"polls/app/apptest"
	"polls/app/database"
	"polls/app/tenant"
)

// behindPool is a counted pool with affinity whose read-only transactions
// commit behind or not; an owed COMMIT waits for flush (an hour: never, in
// a test) for a message to ride on.
func behindPool(t *testing.T, behind bool, flush time.Duration) (*database.DB, *tenant.Runner) {
	t.Helper()
	o := database.Defaults(2)
	o.CommitBehind, o.FlushAfter = behind, flush
	db, _ := apptest.CountedDBWith(t, o)
	return db, &tenant.Runner{SQL: db.SQL, Gorm: db.Gorm, Affinity: db.Affinity}
}

// readPID runs one read-only unit of work that reads its backend's pid and
// its transaction's start.
func readPID(t *testing.T, r *tenant.Runner, site tenant.Site) (pid int64, started time.Time) {
	t.Helper()
	err := r.Run(context.Background(), site, true, func(db *gorm.DB, _ func(context.Context) error) error {
		if err := tenant.ReadOnly(db); err != nil {
			return err
		}
		return db.Raw("SELECT pg_backend_pid(), now()").Row().Scan(&pid, &started)
	})
	if err != nil {
		t.Fatal(err)
	}
	return pid, started
}

// backendState is pg_stat_activity's state of pid, seen from outside the pool.
func backendState(t *testing.T, pid int64) string {
	t.Helper()
	var state string
	if err := apptest.DB(t).SQL.QueryRow("SELECT state FROM pg_stat_activity WHERE pid = $1", pid).Scan(&state); err != nil {
		t.Fatal(err)
	}
	return state
}

func TestReadOnlyWorkCannotWrite(t *testing.T) {
	a := apptest.NewTenant(t)
	_, r := behindPool(t, true, time.Hour)
	err := r.Run(context.Background(), siteOf(a), false, func(db *gorm.DB, _ func(context.Context) error) error {
		if err := tenant.ReadOnly(db); err != nil {
			return err
		}
		return db.Exec("INSERT INTO polls_question (question_text, pub_date) VALUES ('Sneaked in?', now())").Error
	})
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "25006" {
		t.Fatalf("a write in read-only work returned %v, want read_only_sql_transaction (25006)", err)
	}
	var n int64
	a.Scan(t, &n, "SELECT count(*) FROM polls_question")
	if n != 0 {
		t.Fatalf("%d questions after the refused write, want 0", n)
	}
}

func TestReadOnlyMustComeBeforeTheFirstQuery(t *testing.T) {
	a := apptest.NewTenant(t)
	_, r := behindPool(t, true, time.Hour)
	err := r.Run(context.Background(), siteOf(a), false, func(db *gorm.DB, _ func(context.Context) error) error {
		if err := db.Exec("SELECT 1").Error; err != nil {
			return err
		}
		return tenant.ReadOnly(db)
	})
	if !errors.Is(err, tenant.ErrReadOnlyTooLate) {
		t.Fatalf("ReadOnly after a query returned %v, want ErrReadOnlyTooLate", err)
	}
}

// TestReadOnlyCommitIsSentBehind: with commit_behind on, Run returns while
// the transaction is still open on the server (its COMMIT owed), and the
// COMMIT travels in front of the connection's next transaction, which is a
// new one; off, Run returns once the transaction is over.
func TestReadOnlyCommitIsSentBehind(t *testing.T) {
	a := apptest.NewTenant(t)
	site := siteOf(a)
	for _, behind := range []bool{true, false} {
		_, r := behindPool(t, behind, time.Hour)
		pid, first := readPID(t, r, site)
		want := "idle"
		if behind {
			want = "idle in transaction"
		}
		if got := backendState(t, pid); got != want {
			t.Fatalf("commit_behind %v: after Run the backend is %q, want %q", behind, got, want)
		}
		again, second := readPID(t, r, site)
		if again != pid || !second.After(first) {
			t.Fatalf("commit_behind %v: the next work ran on backend %d in a transaction begun %v, want backend %d and a transaction begun after %v",
				behind, again, second, pid, first)
		}
	}
}

// TestOwedCommitIsFlushedAlone: a COMMIT no message carries is sent by
// itself: a lock that conflicts with the read-only transaction's is granted
// (within the lock_timeout, far longer than the flush) without any other
// message on that connection.
func TestOwedCommitIsFlushedAlone(t *testing.T) {
	a := apptest.NewTenant(t)
	_, r := behindPool(t, true, database.FlushAfter)
	pid, _ := readPID(t, r, siteOf(a))
	lock := apptest.DB(t).SQL
	tx, err := lock.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("SET LOCAL lock_timeout = '10s'; LOCK TABLE " + a.Schema + ".polls_question IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatalf("the read-only transaction still held its lock: %v (backend %d is %q)", err, pid, backendState(t, pid))
	}
}

// TestSettledConnectionGoesBackToThePool: a connection owing a COMMIT that
// the affinity gives back to database/sql is settled, not dropped: the pool
// hands the same backend out again, outside any transaction.
func TestSettledConnectionGoesBackToThePool(t *testing.T) {
	a := apptest.NewTenant(t)
	db, r := behindPool(t, true, time.Hour)
	pid, _ := readPID(t, r, siteOf(a))
	db.Affinity.Close() // gives every parked connection back
	if got := backendState(t, pid); got != "idle" {
		t.Fatalf("after settling the backend is %q, want idle", got)
	}
	if status := txStatus(t, db); status != 'I' {
		t.Fatalf("the pool's connection has transaction status %q, want idle", status)
	}
	var again int64
	if err := db.SQL.QueryRow("SELECT pg_backend_pid()").Scan(&again); err != nil {
		t.Fatal(err)
	}
	if again != pid {
		t.Fatalf("the pool opened backend %d instead of reusing %d", again, pid)
	}
}
