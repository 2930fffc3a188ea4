package web_test

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"polls/app/apptest"
	"polls/app/dbmigrate"
	"polls/app/tenant"
	"polls/migrations"
	"polls/models"
)

func latestTenantVersion(t *testing.T) int64 {
	t.Helper()
	v, err := dbmigrate.Latest(migrations.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	return int64(v)
}

// TestATenantNotAtTheCodesVersionGetsTheMaintenancePage: behind the version
// the server's code needs, being migrated, or failed, a tenant's pages and
// admin answer 503 with Retry-After in the site's look, saying nothing of
// versions; the other tenants never notice, and it is served again the
// moment its registry row says it is current.
func TestATenantNotAtTheCodesVersionGetsTheMaintenancePage(t *testing.T) {
	srv := apptest.NewServer(t)
	a, b := quietTenant(t), quietTenant(t)
	db := apptest.DB(t).SQL
	latest := latestTenantVersion(t)
	set := func(version int64, state string) {
		t.Helper()
		if _, err := db.Exec(`UPDATE public.tenants SET schema_version = $2, migration_state = $3 WHERE schema_name = $1`,
			a.Schema, version, state); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		what    string
		version int64
		state   string
	}{
		{"behind", latest - 1, "idle"},
		{"being migrated", latest, "migrating"},
		{"failed", latest - 1, "failed"},
	} {
		set(tt.version, tt.state)
		body := waitForStatus(t, srv, a.Domain, "/polls/", http.StatusServiceUnavailable, 5*time.Second)
		if !strings.Contains(body, "being updated") || !strings.Contains(body, a.Name) || strings.Contains(body, "version") {
			t.Errorf("%s: the maintenance page does not say the site is being updated in its look, or says too much:\n%s", tt.what, body)
		}
		req := apptest.NewRequest(t, http.MethodGet, a.Domain, "/admin/login/", nil)
		resp, _ := apptest.Do(t, srv.Client(t), req)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s: the admin answered %d with Retry-After %q, want 503 with one", tt.what, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if status, _ := apptest.Get(t, srv.Client(t), b.Domain, "/polls/"); status != http.StatusOK {
			t.Errorf("%s: another tenant answered %d while this one was under maintenance", tt.what, status)
		}
	}
	set(latest, "idle")
	waitForStatus(t, srv, a.Domain, "/polls/", http.StatusOK, 5*time.Second)
}

// TestThePreviousReleaseServesATenantMigratedAhead is the expand half of
// expand/contract: a tenant whose schema gained a column (a migration the
// running code does not know yet) is served by that code without an error,
// even by a connection that had cached the pages' statements before the
// column came.
func TestThePreviousReleaseServesATenantMigratedAhead(t *testing.T) {
	pool := apptest.NewPool(t, 1) // one connection: the one that cached the statements
	srv := apptest.NewServerWith(t, apptest.Options{DB: pool})
	tn := apptest.NewTenant(t)
	tn.AddQuestion(t, 1, "Still served?", "-1 hour", apptest.Choice{ID: 1, Text: "Yes", Votes: 1})
	pages := []string{"/polls/", "/polls/1/", "/polls/1/results/"}
	for _, p := range pages {
		if status, _ := apptest.Get(t, srv.Client(t), tn.Domain, p); status != http.StatusOK {
			t.Fatalf("%s before the migration: %d", p, status)
		}
	}
	tn.Exec(t, `ALTER TABLE polls_question ADD COLUMN note text NOT NULL DEFAULT ''`)
	tn.Exec(t, `ALTER TABLE polls_choice ADD COLUMN colour text`)
	if _, err := apptest.DB(t).SQL.Exec(`UPDATE public.tenants SET schema_version = $2 WHERE schema_name = $1`,
		tn.Schema, latestTenantVersion(t)+1); err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if status, body := apptest.Get(t, srv.Client(t), tn.Domain, p); status != http.StatusOK || !strings.Contains(body, "Still served?") {
			t.Errorf("%s after a column was added: %d\n%s", p, status, body)
		}
	}
	if strings.Contains(srv.Logs.String(), "cached plan") {
		t.Errorf("a statement hit a stale plan:\n%s", srv.Logs.String())
	}
}

// TestQueriesNameTheirColumns: SELECT * is what makes a cached statement
// fail once a migration adds a column (the test above); the pages' queries
// name their columns instead.
func TestQueriesNameTheirColumns(t *testing.T) {
	dry := apptest.DB(t).Gorm.Session(&gorm.Session{DryRun: true})
	for name, q := range map[string]*gorm.DB{
		"questions": dry.Find(&[]models.Question{}),
		"choices":   dry.Find(&[]models.Choice{}),
		"user":      dry.Take(&models.User{}),
	} {
		if sql := q.Statement.SQL.String(); strings.Contains(sql, "*") || !strings.HasPrefix(sql, "SELECT ") {
			t.Errorf("%s: %s", name, sql)
		}
	}
}

// withExtraMigration is the tenant migrations plus one numbered next, whose
// SQL is body inside a transaction.
func withExtraMigration(t *testing.T, body string) (fs.FS, uint) {
	t.Helper()
	next := uint(latestTenantVersion(t) + 1)
	name := fmt.Sprintf("%06d_rollout", next)
	return migrations.TenantWith(map[string]string{
		name + ".up.sql":   "BEGIN;\n" + body + "\nCOMMIT;\n",
		name + ".down.sql": "SELECT 1;\n",
	}), next
}

// TestARolloutWhereOneTenantFails: the new release's server needs the new
// migration; polls migrate applies it to every tenant but one, whose
// migration fails. The others are served by the new release; the failed one
// gets the maintenance page, not an error, until a rerun succeeds.
func TestARolloutWhereOneTenantFails(t *testing.T) {
	ctx := context.Background()
	good, bad := apptest.NewTenant(t), apptest.NewTenant(t)
	good.AddQuestion(t, 1, "Migrated?", "-1 hour")
	bad.AddQuestion(t, 1, "Failed?", "-1 hour")
	// The migration divides by a column only bad has a zero in.
	src, next := withExtraMigration(t, `ALTER TABLE polls_question ADD COLUMN note text NOT NULL DEFAULT '';
		UPDATE polls_question SET note = (1 / (SELECT count(*) FROM polls_choice WHERE choice_text = 'ok'))::text;`)
	good.Exec(t, `INSERT INTO polls_choice (question_id, choice_text) VALUES (1, 'ok')`)
	srv := apptest.NewServerWith(t, apptest.Options{TenantVersion: int64(next)})
	waitForStatus(t, srv, good.Domain, "/polls/", http.StatusServiceUnavailable, 5*time.Second)

	db := apptest.DB(t).SQL
	targets := []dbmigrate.Target{{Schema: good.Schema, Role: good.Role}, {Schema: bad.Schema, Role: bad.Role}}
	migrate := func() dbmigrate.Summary {
		return dbmigrate.Run(ctx, apptest.URL(t), targets, dbmigrate.Options{Jobs: 2, Migrations: src, Registry: tenant.VersionRegistry{SQL: db}})
	}
	if sum := migrate(); sum.Migrated != 1 || sum.Failed != 1 {
		t.Fatalf("migrate: %+v, want one migrated and one failed", sum)
	}
	if body := waitForStatus(t, srv, good.Domain, "/polls/", http.StatusOK, 5*time.Second); !strings.Contains(body, "Migrated?") {
		t.Fatalf("the migrated tenant:\n%s", body)
	}
	waitForStatus(t, srv, bad.Domain, "/polls/", http.StatusServiceUnavailable, 5*time.Second)
	if strings.Contains(srv.Logs.String(), "status=500") {
		t.Fatalf("a request failed during the rollout:\n%s", srv.Logs.String())
	}

	bad.Exec(t, `INSERT INTO polls_choice (question_id, choice_text) VALUES (1, 'ok')`)
	if sum := migrate(); sum.Migrated != 1 || sum.Failed != 0 {
		t.Fatalf("rerun: %+v, want the failed tenant migrated", sum)
	}
	waitForStatus(t, srv, bad.Domain, "/polls/", http.StatusOK, 5*time.Second)
}
