package tenant_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/tenant"
)

// TestMadeUpHostsTakeABoundedNumberOfQueries: a host not in memory is looked
// up in the registry, but only a few at once. While those lookups are stuck
// (the registry locked here), the next made-up host is answered unknown at
// once instead of queueing for a connection of its own.
func TestMadeUpHostsTakeABoundedNumberOfQueries(t *testing.T) {
	ctx := context.Background()
	db := apptest.NewDatabase(t) // its own registry, so the lock below holds up no other test
	r := tenant.NewResolver(db.SQL, db.URL, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := r.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	locker, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close()
	lock, err := locker.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	if _, err := lock.Exec(`LOCK TABLE public.domains IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}

	var stuck sync.WaitGroup
	results := make(chan error, 8)
	waiting := func() int {
		var n int
		if err := apptest.DB(t).SQL.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
			databaseName(t, db.SQL)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for range 4 {
		stuck.Add(1)
		go func() {
			defer stuck.Done()
			_, err := r.Resolve(ctx, "made-up-"+apptest.RandomName(6)+".test")
			results <- err
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); waiting() < 4; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d lookups wait on the registry", waiting())
		}
	}
	start := time.Now()
	bounded, cancel := context.WithTimeout(ctx, 2*time.Second) // without the bound, it would wait for the lock
	defer cancel()
	_, err = r.Resolve(bounded, "one-more-"+apptest.RandomName(6)+".test")
	var unknown *tenant.UnknownHostError
	if !errors.As(err, &unknown) || time.Since(start) > time.Second {
		t.Fatalf("a fifth made-up host with four lookups stuck: %v after %v, want unknown at once", err, time.Since(start))
	}
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	stuck.Wait()
	close(results)
	for err := range results {
		if !errors.As(err, &unknown) {
			t.Errorf("a stuck lookup ended with %v, want unknown", err)
		}
	}
}

func databaseName(t *testing.T, q interface {
	QueryRow(string, ...any) *sql.Row
}) string {
	t.Helper()
	var name string
	if err := q.QueryRow(`SELECT current_database()`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}
