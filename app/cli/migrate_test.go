package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
	"polls/app/cli"
	"polls/app/dbmigrate"
	"polls/app/tenant"
	"polls/migrations"
)

// runStdout runs polls as run does but returns stdout alone, for --json.
func runStdout(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errs bytes.Buffer
	err := cli.Run(context.Background(), args, cli.Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs, Getenv: getenv(t, nil),
	})
	return out.String(), err
}

// behind takes a new tenant back before the last tenant migration, as a
// tenant of the previous release is (its tables, its version table and the
// registry say so), and with broken set gives it a table in the way of that
// migration. It returns the tenant and the version it is at.
func behind(t *testing.T, broken bool) apptest.Tenant {
	t.Helper()
	ctx := context.Background()
	tn := apptest.NewTenant(t)
	down, up := lastMigration(t)
	conn, err := pgx.Connect(ctx, apptest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	s := pgx.Identifier{tn.Schema}.Sanitize()
	sql := fmt.Sprintf("SET search_path TO %s;\n%s\nUPDATE schema_migrations SET version = %d, dirty = false;", s, down, latest(t)-1)
	if broken { // what the migration makes is there already: it fails
		sql += "\n" + up
	}
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatal(err)
	}
	if err := tenant.RecordVersion(ctx, conn, tn.Schema, uint(latest(t)-1)); err != nil {
		t.Fatal(err)
	}
	return tn
}

// lastMigration is the SQL of the last tenant migration, down and up.
func lastMigration(t *testing.T) (down, up string) {
	t.Helper()
	downs, err := fs.Glob(migrations.Tenant(), "*.down.sql")
	if err != nil || len(downs) < 2 {
		t.Fatalf("need two tenant migrations, have %v (%v)", downs, err)
	}
	last := downs[len(downs)-1]
	d, err := fs.ReadFile(migrations.Tenant(), last)
	if err != nil {
		t.Fatal(err)
	}
	u, err := fs.ReadFile(migrations.Tenant(), strings.TrimSuffix(last, ".down.sql")+".up.sql")
	if err != nil {
		t.Fatal(err)
	}
	return string(d), string(u)
}

// latest is the last tenant migration's version.
func latest(t *testing.T) int {
	t.Helper()
	v, err := dbmigrate.Latest(migrations.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	return int(v)
}

// statusLines runs `migrate --status --json` and returns each tenant's line
// by schema, after checking every line is JSON and the last the totals.
func statusLines(t *testing.T) map[string]map[string]any {
	t.Helper()
	out, err := runStdout(t, "migrate", "--status", "--json")
	if err != nil {
		t.Fatalf("migrate --status --json: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	byschema := map[string]map[string]any{}
	for i, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("status line %d is not JSON: %q", i+1, l)
		}
		if i == len(lines)-1 {
			if _, ok := v["totals"]; !ok {
				t.Fatalf("the last status line has no totals: %q", l)
			}
			continue
		}
		byschema[v["schema"].(string)] = v
	}
	return byschema
}

// TestMigrateFailureStatusAndRerun: one tenant whose migration fails leaves
// the other migrated (a plain line each when not on a terminal), exits 1,
// `--status` shows it failed with the error, and once the cause is gone a
// rerun migrates it.
func TestMigrateFailureStatusAndRerun(t *testing.T) {
	bad, good := behind(t, true), behind(t, false)
	last := float64(latest(t))
	out, code := run(t, nil, "migrate", "--tenants", "--jobs", "2")
	if code != 1 || !strings.Contains(out, bad.Schema+": FAILED: ") || !strings.Contains(out, fmt.Sprintf("%s: migrated from version %d to %d\n", good.Schema, int(last)-1, int(last))) {
		t.Fatalf("migrate (exit %d) did not fail %s alone with a line each:\n%s", code, bad.Schema, out)
	}
	if !strings.Contains(out, "] "+good.Schema+":") || !strings.Contains(out, "1 failed") {
		t.Fatalf("migrate printed no progress line or no summary:\n%s", out)
	}
	st := statusLines(t)
	if s := st[bad.Schema]; s["state"] != "failed" || !strings.Contains(s["error"].(string), "already exists") || s["version"] != last-1 || s["pending"] != 1.0 {
		t.Fatalf("status of the failed tenant: %v", s)
	}
	if s := st[good.Schema]; s["state"] != "current" || s["version"] != last || s["pending"] != 0.0 {
		t.Fatalf("status of the migrated tenant: %v", s)
	}
	text, code := run(t, nil, "migrate", "--status")
	if code != 0 || !strings.Contains(text, "failed") || !strings.Contains(text, "totals: ") || !strings.Contains(text, fmt.Sprintf("version %d: 1", int(last)-1)) {
		t.Fatalf("migrate --status (exit %d):\n%s", code, text)
	}
	down, _ := lastMigration(t)
	if _, err := apptest.DB(t).SQL.Exec(`SET search_path TO ` + pgx.Identifier{bad.Schema}.Sanitize() + ";\n" + down + ";\nRESET search_path"); err != nil {
		t.Fatal(err)
	}
	out, err := runStdout(t, "migrate", "--tenants", "--json")
	if err != nil {
		t.Fatalf("rerun once the cause is gone: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Fatalf("--json printed a line that is not JSON: %q\n%s", l, out)
		}
	}
	if !strings.Contains(out, fmt.Sprintf(`{"schema":"%s","status":"migrated","from":%d,"to":%d}`, bad.Schema, int(last)-1, int(last))) || !strings.Contains(lines[len(lines)-1], `"summary":{"migrated":1,`) {
		t.Fatalf("--json rerun:\n%s", out)
	}
	if s := statusLines(t)[bad.Schema]; s["state"] != "current" || s["version"] != last {
		t.Fatalf("status after the rerun: %v", s)
	}
}

// TestMigrateFailFast: of two failing tenants, one worker at a time, the
// second is never started.
func TestMigrateFailFast(t *testing.T) {
	behind(t, true)
	behind(t, true)
	out, code := run(t, nil, "migrate", "--tenants", "--jobs", "1", "--fail-fast")
	if code != 1 || strings.Count(out, ": FAILED: ") != 1 || !strings.Contains(out, "1 failed, 1 not started") {
		t.Fatalf("migrate --fail-fast (exit %d):\n%s", code, out)
	}
}

// TestMigrateForce: a dirty tenant is forced to a version only after a yes
// (or with --no-input); a no changes nothing.
func TestMigrateForce(t *testing.T) {
	tn := apptest.NewTenant(t)
	db := apptest.DB(t).SQL
	table := pgx.Identifier{tn.Schema, "schema_migrations"}.Sanitize()
	dirty := func() {
		if _, err := db.Exec(`UPDATE ` + table + ` SET version = 2, dirty = true`); err != nil {
			t.Fatal(err)
		}
	}
	isDirty := func() (v int64, d bool) {
		if err := db.QueryRow(`SELECT version, dirty FROM `+table).Scan(&v, &d); err != nil {
			t.Fatal(err)
		}
		return v, d
	}
	dirty()
	out, code := runTyped(t, "no\n", nil, "migrate", "--schema", tn.Schema, "--force", "1")
	if v, d := isDirty(); code != 0 || !strings.Contains(out, "Canceled") || v != 2 || !d {
		t.Fatalf("after a no (exit %d) the tenant is at %d dirty=%v:\n%s", code, v, d, out)
	}
	if !strings.Contains(out, "is at version 2 (dirty") || !strings.Contains(out, "[yes/no]? ") {
		t.Fatalf("force did not say where the tenant is and ask:\n%s", out)
	}
	out, code = runTyped(t, "maybe\nyes\n", nil, "migrate", "--schema", tn.Schema, "--force", "1")
	if v, d := isDirty(); code != 0 || v != 1 || d || !strings.Contains(out, "Please answer yes or no") {
		t.Fatalf("after a yes (exit %d) the tenant is at %d dirty=%v:\n%s", code, v, d, out)
	}
	m := statusLines(t)[tn.Schema]
	if m["version"] != 1.0 || m["state"] != "behind" {
		t.Fatalf("status after force: %v", m)
	}
	dirty()
	out, code = run(t, nil, "migrate", "--schema", tn.Schema, "--force", "2", "--no-input")
	if v, d := isDirty(); code != 0 || v != 2 || d || strings.Contains(out, "[yes/no]") {
		t.Fatalf("--no-input (exit %d) left the tenant at %d dirty=%v:\n%s", code, v, d, out)
	}
	for _, args := range [][]string{
		{"migrate", "--force", "2"},
		{"migrate", "--schema", tn.Schema, "--force", "x"},
		{"migrate", "--schema", tn.Schema, "--force", "99999"},
		{"migrate", "--status", "--shared"},
		{"migrate", "--no-input"},
	} {
		if out, code := run(t, nil, args...); code == 0 {
			t.Errorf("%v was accepted:\n%s", args, out)
		}
	}
}
