package dbmigrate_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
	"polls/app/dbmigrate"
	"polls/app/tenant"
	"polls/migrations"
)

// addNote is the example of a new tenant migration.
const addNote = "BEGIN;\nALTER TABLE polls_question ADD COLUMN note text NOT NULL DEFAULT '';\nCOMMIT;\n"

// stateOf reads schema's migration state from the registry.
func stateOf(t *testing.T, schema string) tenant.MigrationState {
	t.Helper()
	states, err := tenant.MigrationStates(context.Background(), apptest.DB(t).SQL)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range states {
		if m.Schema == schema {
			return m
		}
	}
	t.Fatalf("%s is not in the registry", schema)
	return tenant.MigrationState{}
}

// sabotage gives schema a note column already, so adding it fails.
func sabotage(t *testing.T, schema string) (undo func()) {
	t.Helper()
	table := pgx.Identifier{schema, "polls_question"}.Sanitize()
	if _, err := apptest.DB(t).SQL.Exec(`ALTER TABLE ` + table + ` ADD COLUMN note integer`); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := apptest.DB(t).SQL.Exec(`ALTER TABLE ` + table + ` DROP COLUMN note`); err != nil {
			t.Fatal(err)
		}
	}
}

func recorded(m tenant.MigrationState) int64 {
	if m.Version == nil {
		return -1
	}
	return *m.Version
}

func TestCreateRecordsTheSchemaVersion(t *testing.T) {
	tn := apptest.NewTenant(t)
	latest, err := dbmigrate.Latest(migrations.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	if m := stateOf(t, tn.Schema); recorded(m) != int64(latest) || m.State != "idle" {
		t.Fatalf("a new tenant is recorded at %d, %s; want %d, idle", recorded(m), m.State, latest)
	}
}

// TestRunRecordsEachTenantsOutcome: one tenant's failing migration leaves the
// others migrated and recorded at the new version; the failing one keeps its
// version (clean: the runner's transaction rolled back), is recorded failed
// with the error, and a rerun once the cause is gone migrates it alone.
func TestRunRecordsEachTenantsOutcome(t *testing.T) {
	ctx := context.Background()
	latest, err := dbmigrate.Latest(migrations.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	src := withExtra(addNote)
	bad, good1, good2 := apptest.NewTenant(t), apptest.NewTenant(t), apptest.NewTenant(t)
	undo := sabotage(t, bad.Schema)
	targets := []dbmigrate.Target{{Schema: bad.Schema, Role: bad.Role}, {Schema: good1.Schema, Role: good1.Role}, {Schema: good2.Schema, Role: good2.Role}}
	reg := tenant.VersionRegistry{SQL: apptest.DB(t).SQL}
	opts := dbmigrate.Options{Jobs: 2, Registry: reg, Migrations: src}
	if sum := dbmigrate.Run(ctx, apptest.URL(t), targets, opts); sum != (dbmigrate.Summary{Migrated: 2, Failed: 1}) {
		t.Fatalf("first run: %+v, want 2 migrated and 1 failed", sum)
	}
	for _, tn := range []apptest.Tenant{good1, good2} {
		if v, dirty := versionOf(t, tn.Schema); v != 999990 || dirty {
			t.Errorf("%s at %d (dirty %v), want 999990", tn.Schema, v, dirty)
		}
		if m := stateOf(t, tn.Schema); recorded(m) != 999990 || m.State != "idle" || m.Error != "" {
			t.Errorf("%s recorded as %+v, want 999990 idle", tn.Schema, m)
		}
	}
	if v, dirty := versionOf(t, bad.Schema); v != int64(latest) || dirty {
		t.Errorf("the failed tenant is at %d (dirty %v), want %d clean", v, dirty, latest)
	}
	m := stateOf(t, bad.Schema)
	if m.State != "failed" || recorded(m) != int64(latest) || !strings.Contains(m.Error, "already exists") || strings.Contains(m.Error, "\n") {
		t.Errorf("the failed tenant is recorded as %+v, want failed at %d with the error on one line", m, latest)
	}
	undo()
	if sum := dbmigrate.Run(ctx, apptest.URL(t), targets, opts); sum != (dbmigrate.Summary{Migrated: 1, Current: 2}) {
		t.Fatalf("rerun: %+v, want 1 migrated and 2 current", sum)
	}
	if m := stateOf(t, bad.Schema); recorded(m) != 999990 || m.State != "idle" || m.Error != "" {
		t.Errorf("after the rerun the tenant is recorded as %+v, want 999990 idle", m)
	}
}

// TestRunFailFast: one worker, the failing tenant first: the others are
// never started and stay where they were.
func TestRunFailFast(t *testing.T) {
	ctx := context.Background()
	latest, err := dbmigrate.Latest(migrations.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	bad, good1, good2 := apptest.NewTenant(t), apptest.NewTenant(t), apptest.NewTenant(t)
	sabotage(t, bad.Schema)
	targets := []dbmigrate.Target{{Schema: bad.Schema, Role: bad.Role}, {Schema: good1.Schema, Role: good1.Role}, {Schema: good2.Schema, Role: good2.Role}}
	opts := dbmigrate.Options{Jobs: 1, FailFast: true, Registry: tenant.VersionRegistry{SQL: apptest.DB(t).SQL}, Migrations: withExtra(addNote)}
	if sum := dbmigrate.Run(ctx, apptest.URL(t), targets, opts); sum != (dbmigrate.Summary{Failed: 1, Skipped: 2}) {
		t.Fatalf("fail-fast run: %+v, want 1 failed and 2 not started", sum)
	}
	for _, tn := range []apptest.Tenant{good1, good2} {
		if v, _ := versionOf(t, tn.Schema); v != int64(latest) {
			t.Errorf("%s was migrated to %d after the failure", tn.Schema, v)
		}
	}
}

// TestCreateByReplayRecordsTheSchemaVersion: a tenant built by its
// migrations (not the template) is recorded at the version they reached.
func TestCreateByReplayRecordsTheSchemaVersion(t *testing.T) {
	ctx := context.Background()
	db := apptest.DB(t)
	schema := "t_" + apptest.RandomName(10)
	p := &tenant.Provisioner{SQL: db.SQL, URL: apptest.URL(t), Roles: apptest.Roles(t), Replay: true}
	if err := p.Create(ctx, tenant.NewTenant{Schema: schema, Domain: strings.ReplaceAll(schema, "_", "-") + ".test", Name: schema}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = db.SQL.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
		_, _ = db.SQL.ExecContext(ctx, "DELETE FROM public.tenants WHERE schema_name = $1", schema)
		apptest.DropRole(t, db.SQL, apptest.Roles(t).For(schema))
	})
	latest, err := dbmigrate.Latest(migrations.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	if m := stateOf(t, schema); recorded(m) != int64(latest) || m.State != "idle" {
		t.Fatalf("a tenant built by its migrations is recorded at %d, %s; want %d, idle", recorded(m), m.State, latest)
	}
}
