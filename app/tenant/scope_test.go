package tenant_test

import (
	"context"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/database"
	"polls/app/tenant"
)

// questionTexts reads polls_question inside a request-style transaction of tn.
func questionTexts(t *testing.T, tn apptest.Tenant) []string {
	t.Helper()
	var texts []string
	tn.Scan(t, &texts, "SELECT question_text FROM polls_question ORDER BY id")
	return texts
}

func TestTenantsSeeOnlyTheirOwnRows(t *testing.T) {
	a, b := apptest.NewTenant(t), apptest.NewTenant(t)
	a.Exec(t, "INSERT INTO polls_question (question_text, pub_date) VALUES ('only in A', now())")
	b.Exec(t, "INSERT INTO polls_question (question_text, pub_date) VALUES ('only in B', now())")
	b.Exec(t, "INSERT INTO polls_question (question_text, pub_date) VALUES ('also in B', now())")

	if got := questionTexts(t, a); strings.Join(got, ",") != "only in A" {
		t.Errorf("tenant A sees %q, want only its own row", got)
	}
	if got := questionTexts(t, b); strings.Join(got, ",") != "only in B,also in B" {
		t.Errorf("tenant B sees %q, want only its own two rows", got)
	}
}

func TestPooledConnectionIsCleanAfterTenantTransaction(t *testing.T) {
	a := apptest.NewTenant(t)
	ctx := context.Background()
	// One connection only, so the query after the transaction must reuse it.
	db, err := database.Open(ctx, apptest.URL(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SQL.SetMaxOpenConns(1)

	var defaultPath string
	if err := db.SQL.QueryRowContext(ctx, "SHOW search_path").Scan(&defaultPath); err != nil {
		t.Fatal(err)
	}
	for _, commit := range []bool{true, false} {
		tx, err := tenant.Begin(ctx, db.SQL, a.Schema)
		if err != nil {
			t.Fatal(err)
		}
		var inside string
		if err := tx.Gorm(ctx, db.Gorm).Raw("SHOW search_path").Scan(&inside).Error; err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(inside, a.Schema) {
			t.Fatalf("search_path inside the transaction = %q, want it to name %s", inside, a.Schema)
		}
		if commit {
			if err := tx.Commit(ctx); err != nil {
				t.Fatal(err)
			}
		} else {
			tx.Rollback()
		}
		var after string
		if err := db.SQL.QueryRowContext(ctx, "SHOW search_path").Scan(&after); err != nil {
			t.Fatal(err)
		}
		if after != defaultPath {
			t.Fatalf("after commit=%v the pooled connection has search_path %q, want the default %q", commit, after, defaultPath)
		}
	}
	if n := db.SQL.Stats().OpenConnections; n != 1 {
		t.Fatalf("got %d open connections, want the one connection reused", n)
	}
}

func TestScopedWorkNeverReachesThePublicSchema(t *testing.T) {
	handle := beginInNewTenant(t)
	// The registry is not on a tenant's search_path: an unqualified name cannot
	// resolve to it.
	err := handle().Exec("SELECT count(*) FROM tenants").Error
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("unqualified registry table inside a tenant transaction: got %v, want relation does not exist", err)
	}
}

func TestHandlerCannotCommitTheRequestTransaction(t *testing.T) {
	handle := beginInNewTenant(t)
	g := handle()
	if err := g.Commit().Error; err == nil {
		t.Fatal("gorm Commit on the request's handle succeeded, want an error")
	}
	g = handle() // the refused Commit left its error on g
	// A nested transaction is a savepoint: its rollback keeps the outer work.
	if err := g.Exec("INSERT INTO polls_question (question_text, pub_date) VALUES ('outer', now())").Error; err != nil {
		t.Fatal(err)
	}
	_ = g.Transaction(func(inner *gormDB) error {
		inner.Exec("INSERT INTO polls_question (question_text, pub_date) VALUES ('inner', now())")
		return errRollbackInner
	})
	var texts []string
	if err := g.Raw("SELECT question_text FROM polls_question").Scan(&texts).Error; err != nil {
		t.Fatal(err)
	}
	if strings.Join(texts, ",") != "outer" {
		t.Fatalf("after a rolled-back nested transaction got %q, want only the outer row", texts)
	}
}

// TestCheckpointGivesTheConnectionBack: after a checkpoint the pool's only
// connection is free for others, what came before is committed, and the
// next query opens a new transaction in the same scope (here rolled back).
func TestCheckpointGivesTheConnectionBack(t *testing.T) {
	a := apptest.NewTenant(t)
	ctx := context.Background()
	db := apptest.NewPool(t, 2)
	db.SQL.SetMaxOpenConns(1)
	tx, err := tenant.BeginAs(ctx, db.SQL, a.Schema, a.Role)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	g := tx.Gorm(ctx, db.Gorm)
	if err := g.Exec("INSERT INTO polls_question (question_text, pub_date) VALUES ('before', now())").Error; err != nil {
		t.Fatal(err)
	}
	if err := tx.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM "`+a.Schema+`".polls_question`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the pool's one connection after a checkpoint: %d rows, %v; want it free and the row committed", n, err)
	}
	var user string
	if err := g.Raw("SELECT current_user").Scan(&user).Error; err != nil || user != a.Role {
		t.Fatalf("after the checkpoint the query ran as %q (%v), want the tenant's role", user, err)
	}
	if err := g.Exec("INSERT INTO polls_question (question_text, pub_date) VALUES ('after', now())").Error; err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	if got := questionTexts(t, a); strings.Join(got, ",") != "before" {
		t.Fatalf("after rolling back the second transaction: %q, want only the first one's row", got)
	}
}
