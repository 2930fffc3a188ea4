package platformadmin_test

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
)

// Every platform admin action is seen by the running server at once: once
// the server has acknowledged the registry's notification, the tenant's
// hosts answer accordingly. Each action is logged with its author.
func TestPlatformActionsAreServedAtOnce(t *testing.T) {
	op := newOperator(t)
	tn := apptest.NewTenant(t)
	srv := op.srv
	check := func(host string, want int) {
		t.Helper()
		awaitServers(t)
		if got := status(t, srv, host, "/polls/"); got != want {
			t.Fatalf("http://%s/polls/: got %d, want %d", host, got, want)
		}
	}
	check(tn.Domain, http.StatusOK)

	page := op.act(t, tn, "suspend/", nil)
	wantContains(t, "after suspend", page, "Suspended.", `id="tenant-state">suspended<`)
	check(tn.Domain, http.StatusPaymentRequired)

	page = op.act(t, tn, "resume/", nil)
	wantContains(t, "after resume", page, "Resumed.", `id="tenant-state">ready<`)
	check(tn.Domain, http.StatusOK)

	extra := "extra-" + apptest.RandomName(6) + ".test"
	check(extra, http.StatusNotFound)
	page = op.act(t, tn, "domains/add/", url.Values{"domain": {strings.ToUpper(extra)}})
	wantContains(t, "after adding a domain", page, "Added domain "+extra+".")
	check(extra, http.StatusOK)

	op.act(t, tn, "domains/primary/", url.Values{"domain": {extra}})
	var primary string
	if err := apptest.DB(t).SQL.QueryRow(`SELECT d.domain FROM public.domains d JOIN public.tenants t ON t.id = d.tenant_id
		WHERE t.schema_name = $1 AND d.is_primary`, tn.Schema).Scan(&primary); err != nil || primary != extra {
		t.Fatalf("primary domain after make primary: got %q (%v), want %q", primary, err, extra)
	}

	op.act(t, tn, "domains/remove/", url.Values{"domain": {tn.Domain}})
	check(tn.Domain, http.StatusNotFound)
	check(extra, http.StatusOK)
	page = op.act(t, tn, "domains/remove/", url.Values{"domain": {extra}})
	wantContains(t, "removing the last domain", page, "is the tenant&#39;s only domain")
	check(extra, http.StatusOK)

	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	page = op.act(t, tn, "plan/", url.Values{"name": {"Renamed Ltd"}, "paid_until": {yesterday}})
	wantContains(t, "after a plan change", page, "Changed name, paid until.", `value="Renamed Ltd"`)
	check(extra, http.StatusPaymentRequired)
	page = op.act(t, tn, "plan/", url.Values{"name": {"Renamed Ltd"}, "paid_until": {yesterday}, "on_trial": {"on"}})
	wantContains(t, "after a trial", page, "Changed on trial.")
	check(extra, http.StatusOK)

	page = op.act(t, tn, "plan/", url.Values{"name": {"Renamed Ltd"}, "paid_until": {yesterday}, "on_trial": {"on"}, "language": {"fr"}})
	wantContains(t, "after a language change", page, "Changed language.", `<option value="fr" selected>`)
	awaitServers(t)
	if _, body := apptest.Get(t, srv.Client(t), extra, "/polls/"); !strings.Contains(body, `<html lang="fr">`) {
		t.Fatalf("http://%s/polls/ after the language change: want it in French:\n%s", extra, body)
	}
	page = op.act(t, tn, "plan/", url.Values{"name": {"Renamed Ltd"}, "paid_until": {yesterday}, "on_trial": {"on"}, "language": {"de"}})
	wantContains(t, "an unknown language", page, "Language: unknown language")

	index := op.getOK(t, "/admin/")
	wantContains(t, "the index's recent actions", index, op.name+": Changed on trial.", op.name+": Added domain "+extra+".", op.name+": Suspended.")
}

// Deleting a tenant from the platform admin: a confirmation page lists
// what goes, the optional archive is the response (a gzip-compressed tar
// with the manifest first), and the tenant's host answers 404 at once.
func TestPlatformDeleteWithArchive(t *testing.T) {
	op := newOperator(t)
	tn := apptest.NewTenant(t)
	tn.AddQuestion(t, 1, "Still here?", "-1 hour", apptest.Choice{ID: 1, Text: "Yes"}, apptest.Choice{ID: 2, Text: "No"})
	path := "/admin/tenants/" + tn.Schema + "/delete/"

	confirm := op.getOK(t, path)
	wantContains(t, "the confirmation page", confirm, "Schema: "+tn.Schema, "Role: "+tn.Role, "Domain: "+tn.Domain,
		"Table polls_question: 1 row", "Table polls_choice: 2 rows")

	resp, body := op.post(t, path, url.Values{"archive": {"on"}})
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="`+tn.Schema+"-") {
		t.Fatalf("delete with archive: got %d, Content-Disposition %q, want 200 and the archive", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	gz, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the archive is not gzip: %v", err)
	}
	tr := tar.NewReader(gz)
	first, err := tr.Next()
	if err != nil || first.Name != "manifest.json" {
		t.Fatalf("the archive's first entry: got %v (%v), want manifest.json", first, err)
	}
	manifest, _ := io.ReadAll(tr)
	if !strings.Contains(string(manifest), tn.Schema) {
		t.Errorf("the manifest does not name the tenant:\n%s", manifest)
	}

	awaitServers(t)
	if got := status(t, op.srv, tn.Domain, "/polls/"); got != http.StatusNotFound {
		t.Errorf("the deleted tenant's host: got %d, want 404", got)
	}
	var schemas int
	apptest.DB(t).SQL.QueryRow(`SELECT count(*) FROM pg_namespace WHERE nspname = $1`, tn.Schema).Scan(&schemas)
	if schemas != 0 {
		t.Errorf("the deleted tenant's schema is still there")
	}
	if status, _ := op.get(t, "/admin/tenants/"+tn.Schema+"/"); status != http.StatusNotFound {
		t.Errorf("the deleted tenant's page: got %d, want 404", status)
	}
	wantContains(t, "the index after the delete", op.getOK(t, "/admin/"), op.name+": Deleted.")
}

// Without an archive the delete goes back to the list, saying so.
func TestPlatformDeleteWithoutArchive(t *testing.T) {
	op := newOperator(t)
	tn := apptest.NewTenant(t)
	resp, body := op.post(t, "/admin/tenants/"+tn.Schema+"/delete/", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/tenants/" {
		t.Fatalf("delete: got %d to %q, want 303 to the list:\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	wantContains(t, "the list after the delete", op.getOK(t, "/admin/tenants/"), "was deleted successfully")
	awaitServers(t)
	if got := status(t, op.srv, tn.Domain, "/polls/"); got != http.StatusNotFound {
		t.Errorf("the deleted tenant's host: got %d, want 404", got)
	}
}

// An archive that cannot be written deletes nothing: the tenant is served
// again and the operator is told.
func TestPlatformDeleteKeepsTheTenantWhenTheArchiveFails(t *testing.T) {
	op := newOperator(t)
	tn := apptest.NewTenant(t)
	// A schema left midway through a migration cannot be exported.
	tn.Exec(t, `UPDATE schema_migrations SET dirty = true`)
	resp, body := op.post(t, "/admin/tenants/"+tn.Schema+"/delete/", url.Values{"archive": {"on"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/tenants/"+tn.Schema+"/" {
		t.Fatalf("delete with a failing archive: got %d to %q, want 303 to the tenant's page:\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	wantContains(t, "the tenant's page", op.getOK(t, "/admin/tenants/"+tn.Schema+"/"), "its archive could not be written. Nothing was deleted.")
	awaitServers(t)
	if got := status(t, op.srv, tn.Domain, "/polls/"); got != http.StatusOK {
		t.Errorf("the tenant whose archive failed: got %d, want 200 (served again)", got)
	}
}

// A tenant stopped midway (unrouted, its schema and role gone) is listed as
// such and can still be deleted from its page, which says its rows cannot
// be counted.
func TestPlatformDeleteAnUnroutedTenant(t *testing.T) {
	op := newOperator(t)
	schema := "t_" + apptest.RandomName(10)
	db := apptest.DB(t).SQL
	if _, err := db.Exec(`INSERT INTO public.tenants (schema_name, name, role_name) VALUES ($1, 'Half made', $1 || '_gone')`, schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Exec(`DELETE FROM public.tenants WHERE schema_name = $1`, schema) })
	wantContains(t, "the list", op.getOK(t, "/admin/tenants/?state=unrouted&q="+schema), schema)
	wantContains(t, "the confirmation page", op.getOK(t, "/admin/tenants/"+schema+"/delete/"), "Rows: unknown", "cannot be counted")
	resp, body := op.post(t, "/admin/tenants/"+schema+"/delete/", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: got %d:\n%s", resp.StatusCode, body)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM public.tenants WHERE schema_name = $1`, schema).Scan(&n)
	if n != 0 {
		t.Errorf("the unrouted tenant's row is still there")
	}
}
