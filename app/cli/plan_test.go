package cli_test

import (
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
)

// TestPlanCommands: suspend, resume and settenant change the registry and say
// the tenant's standing in one line; resuming a tenant whose paid-until date
// has passed needs a new date, and is refused without changing anything.
func TestPlanCommands(t *testing.T) {
	tn := apptest.NewTenant(t)
	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	nextYear := time.Now().UTC().AddDate(1, 0, 0).Format(time.DateOnly)
	standing := func() (paid *time.Time, trial, suspended bool) {
		t.Helper()
		err := apptest.DB(t).SQL.QueryRow(`SELECT paid_until, on_trial, suspended FROM public.tenants WHERE schema_name = $1`, tn.Schema).
			Scan(&paid, &trial, &suspended)
		if err != nil {
			t.Fatal(err)
		}
		return paid, trial, suspended
	}
	for _, tt := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"suspend", "--schema", tn.Schema}, 0, tn.Schema + ": suspended (by hand); no end date"},
		{[]string{"resume", "--schema", tn.Schema}, 0, tn.Schema + ": serving; no end date"},
		{[]string{"settenant", "--schema", tn.Schema, "--paid-until", yesterday, "--name", "Renamed"}, 0, "suspended (paid until " + yesterday + ", not on trial)"},
		{[]string{"resume", "--schema", tn.Schema}, 1, "would stay suspended: it was paid until " + yesterday},
		{[]string{"resume", "--schema", tn.Schema, "--paid-until", nextYear}, 0, "serving; paid until " + nextYear},
		{[]string{"settenant", "--schema", tn.Schema, "--on-trial=true", "--paid-until", "none"}, 0, "serving, on trial; no end date"},
		{[]string{"settenant", "--schema", tn.Schema}, 2, "at least one of"},
		{[]string{"settenant", "--schema", tn.Schema, "--paid-until", "soon"}, 2, "not a date"},
		{[]string{"suspend", "--schema", "no_such_tenant"}, 1, "no such tenant"},
	} {
		out, code := run(t, nil, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.says) {
			t.Fatalf("polls %s: exit %d, %q; want exit %d saying %q", strings.Join(tt.args, " "), code, out, tt.code, tt.says)
		}
	}
	if _, code := run(t, nil, "suspend", "--schema", tn.Schema); code != 0 {
		t.Fatal("suspend failed")
	}
	if out, _ := run(t, nil, "tenants", "--json"); !strings.Contains(out, `"schema": "`+tn.Schema+`"`) || !strings.Contains(out, `"suspended": true`) {
		t.Fatalf("tenants --json does not say the tenant is suspended:\n%s", out)
	}
	if _, code := run(t, nil, "resume", "--schema", tn.Schema); code != 0 {
		t.Fatal("resume failed")
	}
	paid, trial, suspended := standing()
	if paid != nil || !trial || suspended {
		t.Fatalf("after the commands: paid until %v, on trial %v, suspended %v; want no end, on trial, not suspended", paid, trial, suspended)
	}
	var name string
	if err := apptest.DB(t).SQL.QueryRow(`SELECT name FROM public.tenants WHERE schema_name = $1`, tn.Schema).Scan(&name); err != nil || name != "Renamed" {
		t.Fatalf("name after settenant --name: %q (%v), want Renamed", name, err)
	}
}

// TestRenameTenantRefusals: a taken, foreign, invalid or identical new name,
// or an unknown tenant, is refused with one line and nothing changes; a good
// name renames.
func TestRenameTenantRefusals(t *testing.T) {
	a, b := apptest.NewTenant(t), apptest.NewTenant(t)
	if _, err := apptest.DB(t).SQL.Exec(`CREATE SCHEMA stray_schema`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { apptest.DB(t).SQL.Exec(`DROP SCHEMA IF EXISTS stray_schema`) })
	for _, tt := range []struct {
		to   string
		code int
		says string
	}{
		{b.Schema, 1, "already exists"},
		{"stray_schema", 1, "belongs to no tenant"},
		{"Bad-Name", 2, "--to:"},
		{a.Schema, 1, "already has that name"},
	} {
		out, code := run(t, nil, "renametenant", "--schema", a.Schema, "--to", tt.to)
		if code != tt.code || !strings.Contains(out, tt.says) {
			t.Fatalf("renametenant --to %s: exit %d, %q; want exit %d saying %q", tt.to, code, out, tt.code, tt.says)
		}
	}
	if out, code := run(t, nil, "renametenant", "--schema", "no_such_tenant", "--to", "whatever_new"); code != 1 || !strings.Contains(out, "no such tenant") {
		t.Fatalf("renaming an unknown tenant: exit %d, %q", code, out)
	}
	renamed := "r_" + apptest.RandomName(8)
	t.Cleanup(func() {
		apptest.DB(t).SQL.Exec(`DROP SCHEMA IF EXISTS "` + renamed + `" CASCADE`)
		apptest.DB(t).SQL.Exec(`DELETE FROM public.tenants WHERE schema_name = $1`, renamed)
		apptest.DropRole(t, apptest.DB(t).SQL, apptest.Roles(t).For(renamed))
	})
	if out, code := run(t, nil, "renametenant", "--schema", a.Schema, "--to", renamed); code != 0 || !strings.Contains(out, "Renamed '"+a.Schema+"' to '"+renamed+"'") {
		t.Fatalf("renametenant: exit %d, %q", code, out)
	}
	var n int
	if err := apptest.DB(t).SQL.QueryRow(`SELECT count(*) FROM public.tenants WHERE schema_name = $1 AND role_name = $2`, renamed, apptest.Roles(t).For(renamed)).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the registry after the rename: %d rows (%v), want 1 with the new role", n, err)
	}
}
