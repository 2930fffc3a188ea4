package tenant_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"polls/app/apptest"
	"polls/app/database"
	"polls/app/tenant"
)

// TestPipelineScopeBothPositions runs a tenant transaction through the
// Runner in both positions of database.pipeline_scope, whatever the test
// run's own (POLLS_TEST_PIPELINE_SCOPE): the same scope either way, and the
// off position's opening statements a round trip of their own, never held.
func TestPipelineScopeBothPositions(t *testing.T) {
	a := apptest.NewTenant(t)
	ctx := context.Background()
	const query = "SELECT current_setting('search_path') AS path, current_user AS role, current_setting('lock_timeout') AS lock"
	for _, c := range []struct {
		pipeline     bool
		first, whole int64 // writes of the first query, and of the transaction (two queries, COMMIT)
	}{
		{pipeline: true, first: 1, whole: 3},
		{pipeline: false, first: 2, whole: 4},
	} {
		o := database.Defaults(2)
		o.PipelineScope = c.pipeline
		db, writes := apptest.CountedDBWith(t, o)
		prepare(t, db, query)
		r := &tenant.Runner{SQL: db.SQL, Gorm: db.Gorm, Timeout: 3 * time.Second, Affinity: db.Affinity}
		site := tenant.Site{Schema: a.Schema, Role: a.Role}
		before, first := writes.Load(), int64(0)
		err := r.Run(ctx, site, true, func(g *gorm.DB, _ func(context.Context) error) error {
			var got struct{ Path, Role, Lock string }
			if err := g.Raw(query).Scan(&got).Error; err != nil {
				return err
			}
			first = writes.Load() - before
			if !strings.Contains(got.Path, a.Schema) || got.Role != a.Role || got.Lock != "3s" {
				t.Errorf("pipeline_scope %v: the first query saw %+v, want search_path %s, role %s, lock_timeout 3s",
					c.pipeline, got, a.Schema, a.Role)
			}
			return g.Raw(query).Scan(&got).Error
		})
		if err != nil {
			t.Fatalf("pipeline_scope %v: %v", c.pipeline, err)
		}
		if whole := writes.Load() - before; first != c.first || whole != c.whole {
			t.Errorf("pipeline_scope %v: the first query took %d writes and the transaction %d, want %d and %d",
				c.pipeline, first, whole, c.first, c.whole)
		}
	}
}

// TestPipelineScopeOffReportsAFailedScope: sent alone, a refused SET LOCAL
// ROLE is the transaction's ScopeErr, as when held, and the connection goes
// back to the pool clean.
func TestPipelineScopeOffReportsAFailedScope(t *testing.T) {
	a := apptest.NewTenant(t)
	ctx := context.Background()
	o := database.Defaults(2)
	o.PipelineScope = false
	db, _ := apptest.CountedDBWith(t, o)
	tx, err := tenant.BeginAs(ctx, db.SQL, a.Schema, "polls_tenant_no_such_role")
	if err != nil {
		t.Fatalf("BeginAs sent its opening statements before any query: %v", err)
	}
	queryErr := tx.Gorm(ctx, db.Gorm).Exec("SELECT 1").Error
	var pgErr *pgconn.PgError
	scopeErr := tx.ScopeErr()
	if queryErr == nil || !errors.As(scopeErr, &pgErr) || !strings.Contains(pgErr.Message, `role "polls_tenant_no_such_role" does not exist`) {
		t.Fatalf("query error %v, ScopeErr() %v: want the missing role named", queryErr, scopeErr)
	}
	var scoped *tenant.ScopeError
	if !errors.As(scopeErr, &scoped) || !tenant.MaybeGone(scopeErr) {
		t.Fatalf("ScopeErr() = %T, want a *tenant.ScopeError (what the web layer rechecks)", scopeErr)
	}
	if err := tx.Commit(ctx); err == nil || err.Error() != scopeErr.Error() {
		t.Fatalf("Commit() = %v, want %v", err, scopeErr)
	}
	if status := txStatus(t, db); status != 'I' {
		t.Fatalf("after the failed transaction the pooled connection's status is %q, want idle", status)
	}
}

// prepare runs query once outside any transaction, so that pgx's statement
// cache holds it and counting starts with no preparing round trip.
func prepare(t *testing.T, db *database.DB, query string) {
	t.Helper()
	rows, err := db.SQL.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
}
