package platformadmin_test

import (
	"compress/gzip"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/tenant"
)

// A tenant added from the platform admin is built by the provisioner
// createtenant uses and served at once; refused input creates nothing.
func TestPlatformAddTenant(t *testing.T) {
	op := newOperator(t)
	taken := apptest.NewTenant(t)
	schema := "t_" + apptest.RandomName(10)
	domain := strings.ReplaceAll(schema, "_", "-") + ".test"
	db := apptest.DB(t).SQL
	t.Cleanup(func() {
		var role string
		db.QueryRow(`SELECT COALESCE(role_name, '') FROM public.tenants WHERE schema_name = $1`, schema).Scan(&role)
		tenant.Delete(context.Background(), db, schema)
		apptest.DropRole(t, db, role)
	})

	for _, tt := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"schema": {"Bad-Name"}, "domain": {domain}}, "is invalid"},
		{url.Values{"schema": {tenant.PlatformSchema}, "domain": {domain}}, "is reserved"},
		{url.Values{"schema": {taken.Schema}, "domain": {domain}}, "already exists"},
		{url.Values{"schema": {schema}, "domain": {taken.Domain}}, "is already used by a tenant"},
		{url.Values{"schema": {schema}, "domain": {"not a domain"}}, "Please correct the error below."},
		{url.Values{"schema": {schema}, "domain": {domain}, "paid_until": {"soon"}}, "Enter a valid date, YYYY-MM-DD."},
	} {
		resp, body := op.post(t, "/admin/tenants/add-tenant/", tt.form)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, tt.want) {
			t.Errorf("add %s: got %d, want the form again with %q:\n%s", tt.form.Encode(), resp.StatusCode, tt.want, body)
		}
	}
	if _, err := tenant.Find(context.Background(), db, schema); err == nil {
		t.Fatalf("a refused form created tenant %s", schema)
	}

	resp, body := op.post(t, "/admin/tenants/add-tenant/", url.Values{"schema": {schema}, "domain": {domain}, "name": {"Fresh Co"}, "on_trial": {"on"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/tenants/"+schema+"/" {
		t.Fatalf("add: got %d to %q, want 303 to its page:\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	page := op.getOK(t, "/admin/tenants/"+schema+"/")
	wantContains(t, "the new tenant's page", page, "was added successfully", `value="Fresh Co"`, domain, `id="tenant-state">ready<`, "serving, on trial")
	awaitServers(t)
	if got := status(t, op.srv, domain, "/polls/"); got != http.StatusOK {
		t.Errorf("the new tenant's host: got %d, want 200", got)
	}
}

// The archive download is exporttenant's archive, and who took it is logged.
func TestPlatformExport(t *testing.T) {
	op := newOperator(t)
	tn := apptest.NewTenant(t)
	resp, body := op.post(t, "/admin/tenants/"+tn.Schema+"/export/", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), tn.Schema) {
		t.Fatalf("export: got %d, Content-Disposition %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	if _, err := gzip.NewReader(strings.NewReader(body)); err != nil {
		t.Fatalf("the archive is not gzip: %v", err)
	}
	wantContains(t, "the tenant's recent actions", op.getOK(t, "/admin/tenants/"+tn.Schema+"/"), op.name+": Exported.")
	if got := status(t, op.srv, tn.Domain, "/polls/"); got != http.StatusOK {
		t.Errorf("the exported tenant: got %d, want 200", got)
	}
}

// Rename and clone, as renametenant and clonetenant do them: the renamed
// tenant is served under its domain with its new schema, the clone on its
// own domain with the rows copied.
func TestPlatformRenameAndClone(t *testing.T) {
	op := newOperator(t)
	tn := apptest.NewTenant(t)
	tn.AddQuestion(t, 1, "Copied?", "-1 hour", apptest.Choice{ID: 1, Text: "Yes"})
	db := apptest.DB(t).SQL
	renamed, clone := "t_"+apptest.RandomName(10), "t_"+apptest.RandomName(10)
	cloneDomain := strings.ReplaceAll(clone, "_", "-") + ".test"
	t.Cleanup(func() {
		for _, s := range []string{renamed, clone} {
			var role string
			db.QueryRow(`SELECT COALESCE(role_name, '') FROM public.tenants WHERE schema_name = $1`, s).Scan(&role)
			tenant.Delete(context.Background(), db, s)
			apptest.DropRole(t, db, role)
		}
	})

	page := op.act(t, tn, "rename/", url.Values{"to": {"Not Valid"}})
	wantContains(t, "a bad new name", page, "New schema: ")
	resp, body := op.post(t, "/admin/tenants/"+tn.Schema+"/rename/", url.Values{"to": {renamed}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/tenants/"+renamed+"/" {
		t.Fatalf("rename: got %d to %q:\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	wantContains(t, "the renamed tenant's page", op.getOK(t, "/admin/tenants/"+renamed+"/"), "Renamed from "+tn.Schema+".", tn.Domain)
	if status, _ := op.get(t, "/admin/tenants/"+tn.Schema+"/"); status != http.StatusNotFound {
		t.Errorf("the old name's page: got %d, want 404", status)
	}
	awaitServers(t)
	if code, body := apptest.Get(t, op.srv.Client(t), tn.Domain, "/polls/"); code != http.StatusOK || !strings.Contains(body, "Copied?") {
		t.Errorf("the renamed tenant's host: got %d, want 200 with its question", code)
	}

	resp, body = op.post(t, "/admin/tenants/"+renamed+"/clone/", url.Values{"schema": {clone}, "domain": {cloneDomain}, "with_data": {"on"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/tenants/"+clone+"/" {
		t.Fatalf("clone: got %d to %q:\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	awaitServers(t)
	if code, body := apptest.Get(t, op.srv.Client(t), cloneDomain, "/polls/"); code != http.StatusOK || !strings.Contains(body, "Copied?") {
		t.Errorf("the clone's host: got %d, want 200 with the copied question", code)
	}
}
