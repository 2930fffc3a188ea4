package cli_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/cli"
)

// getenv is the environment polls sees in these tests: extraEnv, and
// POLLS_DATABASE_URL naming the test database unless extraEnv sets it.
func getenv(t *testing.T, extraEnv map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := extraEnv[k]; ok {
			return v
		}
		if k == "POLLS_DATABASE_URL" {
			return apptest.URL(t)
		}
		return ""
	}
}

// runTyped runs polls with args against the test database, input being what
// the person types, and returns its output (with the error as main prints it)
// and exit status as main would compute it.
func runTyped(t *testing.T, input string, extraEnv map[string]string, args ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	err := cli.Run(context.Background(), args, cli.Env{
		Stdin: strings.NewReader(input), Stdout: &out, Stderr: &out, Getenv: getenv(t, extraEnv),
	})
	if err == nil {
		return out.String(), 0
	}
	out.WriteString("polls: " + err.Error() + "\n")
	var exit *cli.ExitError
	if errors.As(err, &exit) {
		return out.String(), exit.Code
	}
	return out.String(), 1
}

// run is runTyped with nothing typed.
func run(t *testing.T, extraEnv map[string]string, args ...string) (string, int) {
	t.Helper()
	return runTyped(t, "", extraEnv, args...)
}

func TestMigrateTwiceIsANoOpTheSecondTime(t *testing.T) {
	apptest.NewTenant(t)
	if out, code := run(t, nil, "migrate"); code != 0 {
		t.Fatalf("first migrate exited %d:\n%s", code, out)
	}
	out, code := run(t, nil, "migrate")
	if code != 0 {
		t.Fatalf("second migrate exited %d:\n%s", code, out)
	}
	if strings.Contains(out, "migrated from") || !strings.Contains(out, "0 migrated") || !strings.Contains(out, "0 failed") {
		t.Fatalf("second migrate changed something or did not say so:\n%s", out)
	}
	if !strings.Contains(out, "shared (public): already current") {
		t.Fatalf("second migrate did not report the shared schema current:\n%s", out)
	}
	if !strings.Contains(out, "template: already current (version ") {
		t.Fatalf("second migrate did not report the template for new tenants current:\n%s", out)
	}
}

func TestMigrateFlags(t *testing.T) {
	tn := apptest.NewTenant(t)
	tests := []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"migrate", "--shared"}, 0, "shared (public): already current"},
		{[]string{"migrate", "--schema", tn.Schema}, 0, tn.Schema + ": already current"},
		{[]string{"migrate", "--schema", "public"}, 0, "shared (public)"},
		{[]string{"migrate", "--schema", "nope"}, 1, `schema "nope" is not a tenant`},
		{[]string{"migrate", "--shared", "--tenants"}, 2, "exclude each other"},
		{[]string{"migrate", "extra"}, 2, "takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, code := run(t, nil, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.contains) {
				t.Fatalf("got exit %d, output:\n%s\nwant exit %d and %q", code, out, tt.code, tt.contains)
			}
		})
	}
}

func TestCreateTenantRefusesBadInput(t *testing.T) {
	taken := apptest.NewTenant(t)
	tests := []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		{"injection", []string{"--schema", "a;drop schema public", "--domain", "a.test"}, 2, "is invalid"},
		{"pg prefix", []string{"--schema", "PG_x", "--domain", "a.test"}, 2, "pg_"},
		{"64 characters", []string{"--schema", strings.Repeat("a", 64), "--domain", "a.test"}, 2, "at most 63"},
		{"uppercase", []string{"--schema", "Client1", "--domain", "a.test"}, 2, "lowercase"},
		{"public", []string{"--schema", "public", "--domain", "a.test"}, 2, "reserved"},
		{"bad domain", []string{"--schema", "okname", "--domain", "bad domain"}, 2, "not a valid hostname"},
		{"missing domain", []string{"--schema", "okname"}, 2, "needs --domain and --schema"},
		{"bad date", []string{"--schema", "okname", "--domain", "a.test", "--paid-until", "31/12/2050"}, 2, "YYYY-MM-DD"},
		{"schema taken", []string{"--schema", taken.Schema, "--domain", "other.test"}, 1, "already exists"},
		{"domain taken", []string{"--schema", "t_" + apptest.RandomName(8), "--domain", taken.Domain}, 1, "already used"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code := run(t, nil, append([]string{"createtenant"}, tt.args...)...)
			if code != tt.code || !strings.Contains(out, tt.contains) {
				t.Fatalf("got exit %d, output:\n%s\nwant exit %d and %q", code, out, tt.code, tt.contains)
			}
			if strings.Count(strings.TrimSpace(out), "\n") > 0 {
				t.Fatalf("refusal is more than one line:\n%s", out)
			}
		})
	}
	var n int
	if err := apptest.DB(t).SQL.QueryRow(`SELECT count(*) FROM pg_namespace WHERE nspname IN ('okname', 'a;drop schema public')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("a refused createtenant left %d schemas", n)
	}
}

func TestTenantCreatedWhileServingIsServedAtOnce(t *testing.T) {
	srv := apptest.NewServer(t)
	client := srv.Client(t)
	schema := "t_" + apptest.RandomName(10)
	domain := "live-" + apptest.RandomName(6) + ".test"
	t.Cleanup(func() {
		if _, err := apptest.DB(t).SQL.Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		if _, err := apptest.DB(t).SQL.Exec(`DELETE FROM public.tenants WHERE schema_name = $1`, schema); err != nil {
			t.Errorf("delete tenant %s: %v", schema, err)
		}
		apptest.DropRole(t, apptest.DB(t).SQL, apptest.Roles(t).For(schema))
	})
	if code, _ := apptest.Get(t, client, domain, "/polls/"); code != http.StatusNotFound {
		t.Fatalf("before createtenant got %d, want 404", code)
	}
	out, code := run(t, nil, "createtenant", "--schema", schema, "--domain", domain, "--name", "Live One")
	if code != 0 {
		t.Fatalf("createtenant exited %d:\n%s", code, out)
	}
	status, body := apptest.Get(t, client, domain, "/polls/")
	if status != http.StatusOK || !strings.Contains(body, "Live One") {
		t.Fatalf("after createtenant got %d, want 200 with the tenant's name; body:\n%s", status, body)
	}
}

func TestTenantsLists(t *testing.T) {
	tn := apptest.NewTenant(t)
	out, code := run(t, nil, "tenants")
	if code != 0 || !strings.Contains(out, tn.Schema+"\t"+tn.Domain+"\t"+tn.Name+"\t\tfalse\ten\n") {
		t.Fatalf("tenants (exit %d) did not list %s tab-separated:\n%s", code, tn.Schema, out)
	}
	out, code = run(t, nil, "tenants", "--json")
	if code != 0 || !strings.Contains(out, `"schema": "`+tn.Schema+`"`) {
		t.Fatalf("tenants --json (exit %d) did not list %s:\n%s", code, tn.Schema, out)
	}
}

func TestBadConfigurationExitsWithStatus2(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("database:\n  max_conns: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	typo := filepath.Join(dir, "typo.yaml")
	if err := os.WriteFile(typo, []byte("adr: 1.2.3.4:80\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		contains string
	}{
		{"out of range", []string{"tenants", "--config", bad}, nil, "database.max_conns"},
		{"unknown key", []string{"tenants", "--config", typo}, nil, "adr"},
		{"missing file", []string{"tenants", "--config", filepath.Join(dir, "none.yaml")}, nil, "--config"},
		{"bad url", []string{"tenants"}, map[string]string{"POLLS_DATABASE_URL": "mysql://x"}, "database.url"},
		{"bad addr", []string{"serve"}, map[string]string{"POLLS_ADDR": "nowhere"}, "addr"},
		{"bad session url", []string{"tenants"}, map[string]string{"POLLS_DATABASE_SESSION_URL": "localhost"}, "database.session_url"},
		{"unknown command", []string{"frobnicate"}, nil, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code := run(t, tt.env, tt.args...)
			if code != 2 || !strings.Contains(out, tt.contains) {
				t.Fatalf("got exit %d, output:\n%s\nwant exit 2 naming %q", code, out, tt.contains)
			}
		})
	}
}

func TestHelpListsEveryCommand(t *testing.T) {
	out, code := run(t, nil, "help")
	for _, name := range []string{"demo", "serve", "migrate", "createtenant", "createsuperuser", "tenants", "adddomain", "removedomain", "deletetenant"} {
		if code != 0 || !strings.Contains(out, "  "+name) {
			t.Fatalf("help (exit %d) does not list %s:\n%s", code, name, out)
		}
	}
	out, code = run(t, nil, "createtenant", "--help")
	if code != 0 || !strings.Contains(out, "--paid-until") && !strings.Contains(out, "-paid-until") {
		t.Fatalf("createtenant --help (exit %d) does not describe its flags:\n%s", code, out)
	}
	for _, args := range [][]string{{"migrate", "--help"}, {"migrate", "--bogus"}} {
		out, _ := run(t, nil, args...)
		if n := strings.Count(out, "usage: polls migrate"); n != 1 {
			t.Errorf("%s: the usage printed %d times, want once:\n%s", strings.Join(args, " "), n, out)
		}
	}
	if out, code := run(t, nil, "migrate", "--bogus"); code != 2 || strings.Count(out, "-bogus") != 1 {
		t.Errorf("migrate --bogus (exit %d): want exit 2 and the error said once:\n%s", code, out)
	}
}
