package tenant_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"polls/app/apptest"
	"polls/app/database"
	"polls/app/tenant"
	"polls/models"
)

// TestSameSQLAcrossSchemasAndMidMigration runs the polls pages' queries through
// GORM on one pooled connection, alternating between two tenants so the same
// SQL text meets different search_paths, then migrates one tenant at a time the
// way a rolling `polls migrate` does (a column added, a column widened) while
// the other keeps being served. With cached statements (polls' default on a
// direct connection) a query then fails with "cached plan must not change
// result type" (SQLSTATE 0A000): PostgreSQL re-plans a prepared statement for
// the new search_path or table, but refuses to let its result columns change.
// Unnamed statements (the mode behind a transaction pooler) do not fail on
// these queries, which name their columns (for `SELECT *` see
// TestStaleDescriptionsBehindAPoolerAreRunAgain). The
// request-level answer to the first case is tested in
// TestStalePlansNeverReachAVisitor.
func TestSameSQLAcrossSchemasAndMidMigration(t *testing.T) {
	a, b := apptest.NewTenant(t), apptest.NewTenant(t)
	for _, tn := range []apptest.Tenant{a, b} {
		tn.Exec(t, "INSERT INTO polls_question (id, question_text, pub_date) VALUES (1, ?, now() - interval '1 hour')", "question of "+tn.Schema)
		tn.Exec(t, "INSERT INTO polls_choice (question_id, choice_text, votes) VALUES (1, 'yes', 2), (1, 'no', 1)")
	}
	tests := []struct {
		name    string
		url     string
		wantErr bool
	}{
		{"unnamed statements, as behind a pooler", database.ForTransactionPooler(apptest.URL(t)), false},
		// polls' default: shows that this test detects the hazard the middleware handles.
		{"cached statements, polls' default on a direct connection", apptest.URL(t), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := serveThroughMigrations(t, tt.url, a, b)
			if tt.wantErr && !database.IsStalePlan(err) {
				t.Fatalf("got %v, want the cached plan error this test exists to catch", err)
			}
			if !tt.wantErr && err != nil {
				t.Fatalf("a request failed mid-migration: %v", err)
			}
		})
	}
}

// TestStalePlansNeverReachAVisitor serves both tenants' pages over HTTP from a
// pool of one connection with cached statements, migrating one tenant at a
// time in between: every page must answer 200 with its own tenant's data.
func TestStalePlansNeverReachAVisitor(t *testing.T) {
	a, b := apptest.NewTenant(t), apptest.NewTenant(t)
	for _, tn := range []apptest.Tenant{a, b} {
		tn.Exec(t, "INSERT INTO polls_question (id, question_text, pub_date) VALUES (1, ?, now() - interval '1 hour')", "question of "+tn.Schema)
		tn.Exec(t, "INSERT INTO polls_choice (question_id, choice_text, votes) VALUES (1, 'yes', 2), (1, 'no', 1)")
	}
	db, err := database.Open(context.Background(), apptest.URL(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SQL.SetMaxOpenConns(1) // every request on the same connection and its statement cache
	srv := apptest.NewServerOn(t, db)
	client := srv.Client(t)
	serve := func(rounds int) {
		t.Helper()
		for range rounds {
			for _, tn := range []apptest.Tenant{a, b} {
				for _, path := range []string{"/polls/", "/polls/1/", "/polls/1/results/"} {
					status, body := apptest.Get(t, client, tn.Domain, path)
					if status != 200 || !strings.Contains(body, "question of "+tn.Schema) {
						t.Fatalf("%s%s mid-migration: got %d, want 200 with its own question", tn.Domain, path, status)
					}
				}
			}
		}
	}
	serve(8) // more than five runs each, so PostgreSQL has switched to generic plans
	for _, m := range []struct {
		tenant   apptest.Tenant
		up, down string
	}{
		{a, "ALTER TABLE polls_question ADD COLUMN extra text NOT NULL DEFAULT ''", "ALTER TABLE polls_question DROP COLUMN extra"},
		{b, "ALTER TABLE polls_question ALTER COLUMN question_text TYPE varchar(300)", "ALTER TABLE polls_question ALTER COLUMN question_text TYPE varchar(200)"},
		{a, "ALTER TABLE polls_choice ALTER COLUMN votes TYPE bigint", "ALTER TABLE polls_choice ALTER COLUMN votes TYPE integer"},
	} {
		m.tenant.Exec(t, m.up)
		t.Cleanup(func() { m.tenant.Exec(t, m.down) })
		serve(2)
	}
}

// serveThroughMigrations serves both tenants on a pool of one connection,
// migrating a and b in turn in between, and returns the first request error.
// Each migration is undone when it returns, so every case starts alike.
func serveThroughMigrations(t *testing.T, url string, a, b apptest.Tenant) error {
	t.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, url, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	served := func(rounds int) error {
		for range rounds {
			for _, tn := range []apptest.Tenant{a, b} {
				if err := servePages(ctx, db, tn); err != nil {
					return err
				}
			}
		}
		return nil
	}
	// More than five runs each, so PostgreSQL has switched to generic plans.
	if err := served(8); err != nil {
		return err
	}
	migrations := []struct {
		tenant   apptest.Tenant
		up, down string
	}{
		{a, "ALTER TABLE polls_question ADD COLUMN extra text NOT NULL DEFAULT ''",
			"ALTER TABLE polls_question DROP COLUMN extra"},
		{b, "ALTER TABLE polls_question ALTER COLUMN question_text TYPE varchar(300)",
			"ALTER TABLE polls_question ALTER COLUMN question_text TYPE varchar(200)"},
		{a, "ALTER TABLE polls_choice ALTER COLUMN votes TYPE bigint",
			"ALTER TABLE polls_choice ALTER COLUMN votes TYPE integer"},
	}
	for _, m := range migrations {
		m.tenant.Exec(t, m.up) // on another connection, as `polls migrate` would
		t.Cleanup(func() { m.tenant.Exec(t, m.down) })
		if err := served(2); err != nil {
			return err
		}
	}
	return nil
}

// servePages runs what the index and detail pages run, in a request-style
// transaction, and checks the tenant saw its own data.
func servePages(ctx context.Context, db *database.DB, tn apptest.Tenant) error {
	tx, err := tenant.Begin(ctx, db.SQL, tn.Schema)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	g := tx.Gorm(ctx, db.Gorm)
	now := time.Now()
	qs, err := models.LatestQuestions(g, now, 5)
	if err != nil {
		return err
	}
	q, err := models.PublishedQuestion(g, 1, now)
	if err != nil {
		return err
	}
	if len(qs) != 1 || qs[0].QuestionText != "question of "+tn.Schema || len(q.Choices) != 2 || q.Choices[0].Votes != 2 {
		return fmt.Errorf("tenant %s got questions %+v and choices %+v, want only its own", tn.Schema, qs, q.Choices)
	}
	return tx.Commit(ctx)
}

// TestStaleDescriptionsBehindAPoolerAreRunAgain covers the hazard of the mode
// behind a transaction pooler (database.PoolerQueryExecMode): pgx remembers
// each SQL text's result columns per connection, so a `SELECT *` that meets a
// tenant with one column more than the last fails once, and the Runner must
// run the work again. Both tenants alternate on a pool of one connection
// while one of them has a column the other lacks.
func TestStaleDescriptionsBehindAPoolerAreRunAgain(t *testing.T) {
	a, b := apptest.NewTenant(t), apptest.NewTenant(t)
	a.Exec(t, "ALTER TABLE polls_question ADD COLUMN extra text NOT NULL DEFAULT ''")
	for _, tn := range []apptest.Tenant{a, b} {
		tn.Exec(t, "INSERT INTO polls_question (id, question_text, pub_date) VALUES (1, ?, now())", "question of "+tn.Schema)
	}
	ctx := context.Background()
	db, err := database.Open(ctx, database.ForTransactionPooler(apptest.URL(t)), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// Unaided, the second tenant's query fails with what IsStalePlan names.
	var failed error
	for _, tn := range []apptest.Tenant{a, b} {
		tx, err := tenant.Begin(ctx, db.SQL, tn.Schema)
		if err != nil {
			t.Fatal(err)
		}
		var rows []map[string]any
		if err := tx.Gorm(ctx, db.Gorm).Raw("SELECT * FROM polls_question").Scan(&rows).Error; err != nil {
			failed = err
		}
		tx.Rollback()
	}
	if !database.IsStalePlan(failed) {
		t.Fatalf("the second tenant's SELECT * gave %v, want the stale description this test exists to catch", failed)
	}

	// Through the Runner, every request answers with its own columns.
	r := &tenant.Runner{SQL: db.SQL, Gorm: db.Gorm, Affinity: db.Affinity}
	runs, requests := 0, 0
	for range 3 {
		for _, tn := range []apptest.Tenant{a, b} {
			requests++
			var rows []map[string]any
			err := r.Run(ctx, siteOf(tn), false, func(g *gorm.DB, _ func(context.Context) error) error {
				runs++
				rows = nil
				return g.Raw("SELECT * FROM polls_question").Scan(&rows).Error
			})
			if err != nil {
				t.Fatalf("%s: %v", tn.Schema, err)
			}
			_, hasExtra := rows[0]["extra"]
			if len(rows) != 1 || rows[0]["question_text"] != "question of "+tn.Schema || hasExtra != (tn == a) {
				t.Fatalf("%s got %v, want its own question and columns", tn.Schema, rows)
			}
		}
	}
	if runs <= requests {
		t.Errorf("%d runs for %d requests: no stale description met, so this test shows nothing", runs, requests)
	}
}
