package dbmigrate_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
	"polls/app/dbmigrate"
	"polls/migrations"
)

// columnsOf lists schema's tables and indexes with their definitions, to
// compare two schemas built two ways.
func columnsOf(t *testing.T, schema string) string {
	t.Helper()
	var out string
	err := apptest.DB(t).SQL.QueryRow(`
		SELECT string_agg(x, E'\n' ORDER BY x) FROM (
		  SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' ||
		         coalesce(replace(column_default, $1, 'S'), '') AS x
		  FROM information_schema.columns WHERE table_schema = $2
		  UNION ALL
		  SELECT replace(indexdef, $1, 'S') FROM pg_indexes WHERE schemaname = $2) d`,
		pgx.Identifier{schema}.Sanitize()+".", schema).Scan(&out)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(out, schema, "S")
}

// TestUpOneByOneBuildsWhatGolangMigrateBuilds: the Citus way (a statement
// at a time, its own version table) gives a schema the same tables,
// columns, indexes and version as golang-migrate, which then finds nothing
// to do on it; and it stops at a version when asked.
func TestUpOneByOneBuildsWhatGolangMigrateBuilds(t *testing.T) {
	ctx := context.Background()
	url := apptest.URL(t)
	db := apptest.DB(t).SQL
	a, b, c := "t_obo_a_"+apptest.RandomName(6), "t_obo_b_"+apptest.RandomName(6), "t_obo_c_"+apptest.RandomName(6)
	for _, s := range []string{a, b, c} {
		if _, err := db.Exec(`CREATE SCHEMA ` + pgx.Identifier{s}.Sanitize()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Exec(`DROP SCHEMA ` + pgx.Identifier{s}.Sanitize() + ` CASCADE`) })
	}
	latest, err := dbmigrate.Latest(migrations.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	res, err := dbmigrate.UpOneByOneAs(ctx, url, a, "", migrations.Tenant(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.From != 0 || res.To != latest {
		t.Errorf("one by one: %d -> %d, want 0 -> %d", res.From, res.To, latest)
	}
	if _, err := dbmigrate.UpAs(ctx, url, b, "", migrations.Tenant()); err != nil {
		t.Fatal(err)
	}
	if got, want := columnsOf(t, a), columnsOf(t, b); got != want {
		t.Errorf("one by one built\n%s\n\ngolang-migrate built\n%s", got, want)
	}
	again, err := dbmigrate.UpAs(ctx, url, a, "", migrations.Tenant())
	if err != nil || again.Changed() {
		t.Errorf("golang-migrate over the one-by-one schema: %+v, %v; want nothing to do", again, err)
	}
	if v, dirty := versionOf(t, a); v != int64(latest) || dirty {
		t.Errorf("version row %d (dirty %v), want %d clean", v, dirty, latest)
	}

	vs, err := dbmigrate.Versions(migrations.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	first := vs[0]
	res, err = dbmigrate.UpOneByOneAs(ctx, url, c, "", migrations.Tenant(), first)
	if err != nil || res.To != first {
		t.Fatalf("up to %d: %+v, %v", first, res, err)
	}
	res, err = dbmigrate.UpOneByOneAs(ctx, url, c, "", migrations.Tenant(), 0)
	if err != nil || res.From != first || res.To != latest {
		t.Errorf("the rest: %+v, %v; want %d -> %d", res, err, first, latest)
	}
	if _, err := dbmigrate.UpOneByOneAs(ctx, url, c, "", migrations.Tenant(), 999999); err == nil {
		t.Error("a version the migrations do not have was accepted")
	}
}

// TestRunOneStatementAtATime: Run with OneStatement migrates a tenant that
// is behind, and a failing statement fails that tenant, named, with nothing
// of its migration applied.
func TestRunOneStatementAtATime(t *testing.T) {
	ctx := context.Background()
	tn := apptest.NewTenant(t)
	bad := apptest.NewTenant(t)
	src := migrations.TenantWith(map[string]string{
		"000900_two_columns.up.sql": "BEGIN;\nALTER TABLE polls_question ADD COLUMN a text; -- one; two\n" +
			"CREATE INDEX polls_question_a ON polls_question (a);\nALTER TABLE polls_question ADD COLUMN b text DEFAULT 'x;y';\nCOMMIT;\n",
	})
	apptest.DB(t).SQL.Exec(`ALTER TABLE ` + pgx.Identifier{bad.Schema, "polls_question"}.Sanitize() + ` ADD COLUMN b integer`)
	errs := map[string]error{}
	sum := dbmigrate.Run(ctx, apptest.URL(t), []dbmigrate.Target{{Schema: tn.Schema, Role: tn.Role}, {Schema: bad.Schema, Role: bad.Role}},
		dbmigrate.Options{Jobs: 1, Migrations: src, OneStatement: true, Progress: func(_, _ int, res dbmigrate.Result, err error) { errs[res.Schema] = err }})
	if sum.Migrated != 1 || sum.Failed != 1 {
		t.Fatalf("summary %+v, want 1 migrated and 1 failed", sum)
	}
	var def string
	if err := apptest.DB(t).SQL.QueryRow(`SELECT column_default FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'polls_question' AND column_name = 'b'`, tn.Schema).Scan(&def); err != nil || def != "'x;y'::text" {
		t.Errorf("column b's default = %q, %v; want 'x;y'::text", def, err)
	}
	if err := errs[bad.Schema]; err == nil || !strings.Contains(err.Error(), "000900_two_columns.up.sql") || !strings.Contains(err.Error(), "ADD COLUMN b") {
		t.Errorf("the failure says %v; want the file and the statement", err)
	}
	var a bool
	apptest.DB(t).SQL.QueryRow(`SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'polls_question' AND column_name = 'a')`, bad.Schema).Scan(&a)
	if a {
		t.Error("the failed tenant kept the statements before the failing one")
	}
}
