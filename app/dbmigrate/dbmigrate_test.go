package dbmigrate_test

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
	"polls/app/dbmigrate"
	"polls/migrations"
)

func TestMain(m *testing.M) { apptest.Main(m) }

// TestOneFailureDoesNotStopTheOthers runs one worker over a tenant that cannot
// be migrated followed by tenants one migration behind, so the failure is over
// before they start: were a failure to stop the run, they would stay behind.
func TestOneFailureDoesNotStopTheOthers(t *testing.T) {
	ctx := context.Background()
	url := apptest.URL(t)
	latest, err := dbmigrate.Latest(migrations.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	current := apptest.NewTenant(t)
	const missing = "t_missing_schema"
	targets := []dbmigrate.Target{{Schema: current.Schema, Role: current.Role}, {Schema: missing}}
	var behind []string
	var previous uint
	for range 2 {
		tn := apptest.NewTenant(t)
		previous = rollBackLast(t, tn.Schema)
		behind = append(behind, tn.Schema)
		targets = append(targets, dbmigrate.Target{Schema: tn.Schema, Role: tn.Role})
	}

	reported := map[string]string{}
	sum := dbmigrate.Tenants(ctx, url, targets, 1, func(done, total int, res dbmigrate.Result, err error) {
		if total != len(targets) {
			t.Errorf("progress total = %d, want %d", total, len(targets))
		}
		if err != nil {
			reported[res.Schema] = "failed"
			return
		}
		reported[res.Schema] = fmt.Sprintf("%d->%d", res.From, res.To)
	})

	if want := (dbmigrate.Summary{Migrated: 2, Current: 1, Failed: 1}); sum != want {
		t.Errorf("summary = %+v, want %+v", sum, want)
	}
	want := map[string]string{current.Schema: fmt.Sprintf("%d->%d", latest, latest), missing: "failed"}
	for _, s := range behind {
		want[s] = fmt.Sprintf("%d->%d", previous, latest)
	}
	if !maps.Equal(reported, want) {
		t.Errorf("progress reported %v, want %v", reported, want)
	}
	for _, s := range behind {
		if v, dirty := versionOf(t, s); v != int64(latest) || dirty {
			t.Errorf("%s is at version %d (dirty %v) after the run, want %d clean", s, v, dirty, latest)
		}
		var built bool
		if err := apptest.DB(t).SQL.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`,
			pgx.Identifier{s, "auth_user"}.Sanitize()).Scan(&built); err != nil {
			t.Fatal(err)
		}
		if !built {
			t.Errorf("%s has no auth_user table after the run: the last migration was not applied", s)
		}
	}
}

// rollBackLast runs the last tenant migration's down file in schema and
// records the version before it, as a tenant made before that migration
// existed would be. It returns that version.
func rollBackLast(t *testing.T, schema string) uint {
	t.Helper()
	ctx := context.Background()
	downs, err := fs.Glob(migrations.Tenant(), "*.down.sql")
	if err != nil {
		t.Fatal(err)
	}
	if len(downs) < 2 {
		t.Fatalf("need at least two tenant migrations to leave a tenant behind, have %v", downs)
	}
	down, err := fs.ReadFile(migrations.Tenant(), downs[len(downs)-1])
	if err != nil {
		t.Fatal(err)
	}
	prevNum, _, _ := strings.Cut(downs[len(downs)-2], "_")
	previous, err := strconv.ParseUint(prevNum, 10, 64)
	if err != nil {
		t.Fatalf("version of %s: %v", downs[len(downs)-2], err)
	}
	cfg, err := pgx.ParseConfig(apptest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["search_path"] = pgx.Identifier{schema}.Sanitize()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, string(down)); err != nil {
		t.Fatalf("roll back %s in %s: %v", downs[len(downs)-1], schema, err)
	}
	tag, err := conn.Exec(ctx, `UPDATE schema_migrations SET version = $1, dirty = false`, int64(previous))
	if err != nil {
		t.Fatal(err)
	}
	if tag.RowsAffected() != 1 {
		t.Fatalf("%s has %d schema_migrations rows, want 1", schema, tag.RowsAffected())
	}
	return uint(previous)
}

// versionOf reads schema's migration version as golang-migrate recorded it.
func versionOf(t *testing.T, schema string) (version int64, dirty bool) {
	t.Helper()
	q := `SELECT version, dirty FROM ` + pgx.Identifier{schema, "schema_migrations"}.Sanitize()
	if err := apptest.DB(t).SQL.QueryRowContext(context.Background(), q).Scan(&version, &dirty); err != nil {
		t.Fatalf("read the version of %s: %v", schema, err)
	}
	return version, dirty
}

// withExtra is the real tenant migrations plus one more, numbered last.
func withExtra(sql string) fs.FS {
	return migrations.TenantWith(map[string]string{"999990_extra.up.sql": sql})
}

func TestDirtyVersionIsRetriedOnTheNextRun(t *testing.T) {
	tn := apptest.NewTenant(t)
	ctx := context.Background()
	url := apptest.URL(t)
	latest, err := dbmigrate.Latest(migrations.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	failing := withExtra("BEGIN; CREATE TABLE extra (id int); SELECT 1/0; COMMIT;")
	if res, err := dbmigrate.Up(ctx, url, tn.Schema, failing); err == nil {
		t.Fatalf("a failing migration reported success: %+v", res)
	}
	fixed := withExtra("BEGIN; CREATE TABLE extra (id int); COMMIT;")
	res, err := dbmigrate.Up(ctx, url, tn.Schema, fixed)
	if err != nil {
		t.Fatalf("rerun after fixing the migration: %v", err)
	}
	if res.From != latest || res.To != 999990 {
		t.Fatalf("rerun went from %d to %d, want %d to 999990", res.From, res.To, latest)
	}
}
