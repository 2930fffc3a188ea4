package cli_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
)

// eventually polls check until it holds or two seconds pass: registry changes
// reach a running server asynchronously, through NOTIFY.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	apptest.Eventually(t, what, 2*time.Second, check)
}

func TestAddAndRemoveDomains(t *testing.T) {
	tn := apptest.NewTenant(t)
	srv := apptest.NewServer(t)
	client := srv.Client(t)
	extra := "extra-" + apptest.RandomName(6) + ".test"

	out, code := run(t, nil, "adddomain", "--schema", tn.Schema, "--domain", strings.ToUpper(extra), "--primary")
	if code != 0 {
		t.Fatalf("adddomain exited %d:\n%s", code, out)
	}
	if status, body := apptest.Get(t, client, extra, "/polls/"); status != http.StatusOK || !strings.Contains(body, tn.Name) {
		t.Fatalf("new domain: got %d, want the tenant's site", status)
	}
	if out, _ := run(t, nil, "tenants"); !strings.Contains(out, tn.Schema+"\t"+extra+"\t") {
		t.Fatalf("tenants does not show %s as primary:\n%s", extra, out)
	}
	if out, code := run(t, nil, "adddomain", "--schema", tn.Schema, "--domain", extra); code == 0 || !strings.Contains(out, "already used") {
		t.Fatalf("adding a taken domain (exit %d):\n%s", code, out)
	}

	if out, code := run(t, nil, "removedomain", "--domain", extra); code != 0 {
		t.Fatalf("removedomain exited %d:\n%s", code, out)
	}
	eventually(t, "the removed domain is still served", func() bool {
		status, _ := apptest.Get(t, client, extra, "/polls/")
		return status == http.StatusNotFound
	})
	if out, _ := run(t, nil, "tenants"); !strings.Contains(out, tn.Schema+"\t"+tn.Domain+"\t") {
		t.Fatalf("after removing the primary, %s is not primary again:\n%s", tn.Domain, out)
	}
	if out, code := run(t, nil, "removedomain", "--domain", tn.Domain); code == 0 || !strings.Contains(out, "only domain") {
		t.Fatalf("removing the last domain (exit %d):\n%s", code, out)
	}
	if out, code := run(t, nil, "adddomain", "--schema", "nope", "--domain", "x-"+apptest.RandomName(5)+".test"); code == 0 || !strings.Contains(out, "no such tenant") {
		t.Fatalf("adddomain to an unknown tenant (exit %d):\n%s", code, out)
	}
}

func TestDeleteTenantAsksFirst(t *testing.T) {
	tn := apptest.NewTenant(t)
	srv := apptest.NewServer(t)
	client := srv.Client(t)

	out, code := runTyped(t, "no\n", nil, "deletetenant", "--schema", tn.Schema)
	if code != 0 || !strings.Contains(out, "Warning you are about to delete '"+tn.Schema+"' there is no undo.") ||
		!strings.Contains(out, "Canceled") {
		t.Fatalf("answering no (exit %d):\n%s", code, out)
	}
	if status, _ := apptest.Get(t, client, tn.Domain, "/polls/"); status != http.StatusOK {
		t.Fatalf("after a canceled delete the tenant answers %d, want 200", status)
	}

	out, code = runTyped(t, "maybe\nyes\n", nil, "deletetenant", "--schema", tn.Schema)
	if code != 0 || !strings.Contains(out, "Please answer yes or no: ") || !strings.Contains(out, "Deleted '"+tn.Schema+"'") {
		t.Fatalf("answering maybe, then yes (exit %d):\n%s", code, out)
	}
	eventually(t, "the deleted tenant is still served", func() bool {
		status, _ := apptest.Get(t, client, tn.Domain, "/polls/")
		return status == http.StatusNotFound
	})
	var schemas, roles int
	db := apptest.DB(t).SQL
	if err := db.QueryRow(`SELECT count(*) FROM pg_namespace WHERE nspname = $1`, tn.Schema).Scan(&schemas); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM pg_roles WHERE rolname = $1`, tn.Role).Scan(&roles); err != nil {
		t.Fatal(err)
	}
	if schemas != 0 || roles != 0 {
		t.Fatalf("after delete: %d schemas and %d roles left, want none", schemas, roles)
	}
	if out, code := run(t, nil, "deletetenant", "--schema", tn.Schema, "--no-input"); code == 0 || !strings.Contains(out, "no such tenant") {
		t.Fatalf("deleting it again (exit %d):\n%s", code, out)
	}
}
