package cli_test

import (
	"strings"
	"testing"

	"polls/app/apptest"
)

// The main domain (tenancy.main_domain, localhost by default) serves the
// public site, so no tenant may be given it: one line, exit 2, nothing made.
func TestTenantsCannotTakeTheMainDomain(t *testing.T) {
	tn := apptest.NewTenant(t)
	schema := "t_" + apptest.RandomName(8)
	for _, args := range [][]string{
		{"createtenant", "--schema", schema, "--domain", "localhost"},
		{"createtenant", "--schema", schema, "--domain", "LocalHost"},
		{"clonetenant", "--from", tn.Schema, "--schema", schema, "--domain", "localhost"},
		{"adddomain", "--schema", tn.Schema, "--domain", "localhost"},
	} {
		out, code := run(t, nil, args...)
		if code != 2 || !strings.Contains(out, "is the main domain (tenancy.main_domain)") || strings.Count(strings.TrimSpace(out), "\n") > 0 {
			t.Errorf("%s: got exit %d:\n%s\nwant exit 2 and one line naming the main domain", strings.Join(args, " "), code, out)
		}
	}
	out, code := run(t, nil, "createtenant", "--schema", schema, "--domain", "www.localhost")
	if code != 2 || !strings.Contains(out, "starts with www.") {
		t.Errorf("www. of the main domain: got exit %d:\n%s", code, out)
	}
	var n int
	if err := apptest.DB(t).SQL.QueryRow(`SELECT count(*) FROM public.domains WHERE domain IN ('localhost', 'www.localhost')`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the main domain is in the registry %d times (%v), want none", n, err)
	}
}

// polls demo says where the public site and its sign-up are.
func TestDemoPrintsTheLandingPage(t *testing.T) {
	t.Cleanup(func() {
		for _, s := range []string{"client1", "client2"} {
			db := apptest.DB(t).SQL
			var role string
			_ = db.QueryRow(`SELECT COALESCE(role_name, '') FROM public.tenants WHERE schema_name = $1`, s).Scan(&role)
			_, _ = db.Exec(`DROP SCHEMA IF EXISTS ` + s + ` CASCADE`)
			_, _ = db.Exec(`DELETE FROM public.tenants WHERE schema_name = $1`, s)
			apptest.DropRole(t, db, role)
		}
	})
	out, code := run(t, nil, "demo", "--no-serve", "--addr", "127.0.0.1:8089")
	if code != 0 || !strings.Contains(out, "public site and sign-up: http://localhost:8089/") {
		t.Fatalf("demo --no-serve: exit %d, want the landing page's address:\n%s", code, out)
	}
}
