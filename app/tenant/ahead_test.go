package tenant_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"polls/app/apptest"
	"polls/app/database"
	"polls/app/tenant"
)

// txStatus is the transaction status PostgreSQL last reported for the pool's
// one connection: 'I' idle, 'T' in a transaction, 'E' in a failed one.
func txStatus(t *testing.T, db *database.DB) byte {
	t.Helper()
	conn, err := db.SQL.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var status byte
	_ = conn.Raw(func(dc any) error {
		status = dc.(*stdlib.Conn).Conn().PgConn().TxStatus()
		return nil
	})
	return status
}

func TestScopingTravelsWithTheFirstQuery(t *testing.T) {
	a := apptest.NewTenant(t)
	ctx := context.Background()
	db, writes := apptest.CountedDB(t)
	const query = "SELECT current_setting('search_path') AS path, current_user AS role"
	// pgx prepares a statement the first time a connection sees it (a round
	// trip of its own, once): prepare it outside the transaction first.
	rows, err := db.SQL.QueryContext(ctx, query)
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()

	before := writes.Load()
	tx, err := tenant.BeginAs(ctx, db.SQL, a.Schema, a.Role)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var got struct{ Path, Role string }
	if err := tx.Gorm(ctx, db.Gorm).Raw(query).Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.Path, a.Schema) || got.Role != a.Role {
		t.Fatalf("first query saw search_path %q and role %q, want %s and %s", got.Path, got.Role, a.Schema, a.Role)
	}
	// With database.pipeline_scope off (POLLS_TEST_PIPELINE_SCOPE=off) the
	// opening statements are a round trip of their own.
	first, whole := int64(1), int64(2)
	if !apptest.PipelineScope() {
		first, whole = 2, 3
	}
	if n := writes.Load() - before; n != first {
		t.Fatalf("BEGIN, the SET LOCALs and the first query took %d writes, want %d", n, first)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := writes.Load() - before; n != whole {
		t.Fatalf("the whole transaction took %d writes, want %d", n, whole)
	}
}

func TestTransactionWithoutQueriesSendsNothing(t *testing.T) {
	a := apptest.NewTenant(t)
	ctx := context.Background()
	db, writes := apptest.CountedDB(t)
	for _, commit := range []bool{true, false} {
		tx, err := tenant.BeginAs(ctx, db.SQL, a.Schema, a.Role)
		if err != nil {
			t.Fatal(err)
		}
		before := writes.Load()
		if commit {
			if err := tx.Commit(ctx); err != nil {
				t.Fatal(err)
			}
		} else {
			tx.Rollback()
		}
		if n := writes.Load() - before; n != 0 {
			t.Fatalf("commit=%v: a transaction with no query wrote %d times, want 0", commit, n)
		}
		if status := txStatus(t, db); status != 'I' {
			t.Fatalf("commit=%v: the pooled connection's transaction status is %q, want idle", commit, status)
		}
	}
}

func TestFailedScopingIsReportedAndTheConnectionStaysClean(t *testing.T) {
	a := apptest.NewTenant(t)
	ctx := context.Background()
	db, _ := apptest.CountedDB(t)

	tx, err := tenant.BeginAs(ctx, db.SQL, a.Schema, "polls_tenant_no_such_role")
	if err != nil {
		t.Fatal(err)
	}
	queryErr := tx.Gorm(ctx, db.Gorm).Exec("SELECT 1").Error
	if queryErr == nil {
		t.Fatal("a query after a failed SET LOCAL ROLE succeeded")
	}
	var pgErr *pgconn.PgError
	scopeErr := tx.ScopeErr()
	if !errors.As(scopeErr, &pgErr) || !strings.Contains(pgErr.Message, `role "polls_tenant_no_such_role" does not exist`) {
		t.Fatalf("ScopeErr() = %v, want the missing role named (the query itself said %v)", scopeErr, queryErr)
	}
	if err := tx.Commit(ctx); err == nil || err.Error() != scopeErr.Error() {
		t.Fatalf("Commit() = %v, want the scoping error %v", err, scopeErr)
	}
	if status := txStatus(t, db); status != 'I' {
		t.Fatalf("after the failed transaction the pooled connection's status is %q, want idle", status)
	}
}

func TestTenantTransactionRefusesAPoolNotOpenedByPolls(t *testing.T) {
	a := apptest.NewTenant(t)
	cfg, err := pgx.ParseConfig(apptest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	plain := stdlib.OpenDB(*cfg) // no database.Ahead on its connections
	defer plain.Close()
	tx, err := tenant.Begin(context.Background(), plain, a.Schema)
	if err == nil {
		tx.Rollback()
		t.Fatal("Begin on a plain pgx pool succeeded, want it refused")
	}
	if !strings.Contains(err.Error(), "database.Open") {
		t.Fatalf("got %v, want it to say the pool must come from database.Open", err)
	}
	if n := plain.Stats().InUse; n != 0 {
		t.Fatalf("the refused Begin kept %d connections", n)
	}
}
