package tenant_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/database"
	"polls/app/tenant"
	"polls/models"
)

// TestSameSQLAcrossSchemasAndMidMigration runs the polls pages' queries through
// GORM on one pooled connection, alternating between two tenants so the same
// SQL text meets different search_paths, then migrates one tenant at a time the
// way a rolling `polls migrate` does (a column added, a column widened) while
// the other keeps being served. A driver that caches prepared statements per
// connection fails here with "cached plan must not change result type"
// (SQLSTATE 0A000): PostgreSQL re-plans a prepared statement for the new
// search_path or table, but refuses to let its result columns change. The
// pool that database.Open builds must never let that error reach a request.
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
		{"polls' pool as database.Open builds it", apptest.URL(t), false},
		// pgx's own default, named explicitly: shows that this test detects the hazard.
		{"pgx statement cache", withParam(apptest.URL(t), "default_query_exec_mode", "cache_statement"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := serveThroughMigrations(t, tt.url, a, b)
			if tt.wantErr && (err == nil || !strings.Contains(err.Error(), "cached plan must not change result type")) {
				t.Fatalf("got %v, want the cached plan error this test exists to catch", err)
			}
			if !tt.wantErr && err != nil {
				t.Fatalf("a request failed mid-migration: %v", err)
			}
		})
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

// withParam adds key=value to a postgres:// URL's query.
func withParam(url, key, value string) string {
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + key + "=" + value
}
