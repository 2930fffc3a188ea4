package platformadmin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"polls/app/apptest"
)

// A platform user changes their password and logs out through the tenant
// admin's pages, on the platform's own users: the new password works on
// the main domain afterwards, the old one does not.
func TestPlatformPasswordChangeAndLogout(t *testing.T) {
	op := newOperator(t)
	const next = "another platform pass 5530"
	resp, body := op.post(t, "/admin/password_change/", url.Values{
		"old_password": {"platform pass 4821"}, "new_password1": {next}, "new_password2": {next},
	})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/password_change/done/" {
		t.Fatalf("password change: got %d to %q:\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	wantContains(t, "the done page", op.getOK(t, "/admin/password_change/done/"), "Password change successful")

	if resp, _ := op.post(t, "/admin/logout/", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("logout: got %d, want 200", resp.StatusCode)
	}
	if status, _ := op.get(t, "/admin/"); status != http.StatusFound {
		t.Fatalf("the index after logout: got %d, want 302 to the login page", status)
	}
	c := op.srv.Client(t)
	if resp, body := login(t, c, mainDomain, op.name, "platform pass 4821"); resp.StatusCode != http.StatusOK || !strings.Contains(body, msgBadLogin) {
		t.Errorf("the old password: got %d, want the login refused", resp.StatusCode)
	}
	if resp, _ := login(t, c, mainDomain, op.name, next); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the new password: got %d, want 303", resp.StatusCode)
	}
}

// A platform action posted without the CSRF token is refused and changes
// nothing.
func TestPlatformActionsNeedTheCSRFToken(t *testing.T) {
	op := newOperator(t)
	tn := apptest.NewTenant(t)
	resp, _ := apptest.Post(t, op.client, mainDomain, "/admin/tenants/"+tn.Schema+"/suspend/", url.Values{})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("suspend without a CSRF token: got %d, want 403", resp.StatusCode)
	}
	if strings.Contains(op.getOK(t, "/admin/tenants/"+tn.Schema+"/"), `id="tenant-state">suspended<`) {
		t.Errorf("the tenant was suspended by a request without a CSRF token")
	}
}

// Refused input changes nothing and says why: a bad domain, a date that is
// not one, a domain of another tenant, resuming a tenant whose date passed.
func TestPlatformFormsRefuseBadInput(t *testing.T) {
	op := newOperator(t)
	tn, other := apptest.NewTenant(t), apptest.NewTenant(t)
	for _, tt := range []struct {
		action string
		form   url.Values
		want   string
	}{
		{"domains/add/", url.Values{"domain": {"not a domain"}}, "Domain: "},
		{"domains/add/", url.Values{"domain": {other.Domain}}, "is already used by a tenant"},
		{"domains/remove/", url.Values{"domain": {other.Domain}}, "The tenant has no domain"},
		{"domains/primary/", url.Values{"domain": {other.Domain}}, "The tenant has no domain"},
		{"plan/", url.Values{"name": {"x"}, "paid_until": {"31/12/2030"}}, "Paid until: enter a valid date, YYYY-MM-DD."},
		{"plan/", url.Values{"name": {"x\x00y"}}, "Name: Null characters are not allowed."},
	} {
		page := op.act(t, tn, tt.action, tt.form)
		wantContains(t, tt.action+" "+tt.form.Encode(), page, tt.want)
	}
	op.act(t, tn, "plan/", url.Values{"name": {tn.Name}, "paid_until": {"2001-01-01"}})
	op.act(t, tn, "suspend/", nil)
	page := op.act(t, tn, "resume/", nil)
	wantContains(t, "resuming past the paid date", page, "would stay suspended", `id="tenant-state">suspended<`)
	page = op.act(t, tn, "resume/", url.Values{"paid_until": {"2999-01-01"}})
	wantContains(t, "resuming with a new date", page, "Resumed, paid until 2999-01-01.", `id="tenant-state">ready<`)

	var domains int
	apptest.DB(t).SQL.QueryRow(`SELECT count(*) FROM public.domains d JOIN public.tenants t ON t.id = d.tenant_id
		WHERE t.schema_name = $1`, other.Schema).Scan(&domains)
	if domains != 1 {
		t.Errorf("the other tenant's domains: got %d, want its one, untouched", domains)
	}
}
