package platformadmin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"polls/app/apptest"
)

const msgBadLogin = "Please enter the correct username and password for a staff account."

// Platform users and tenant users cannot cross: each admin finds only its
// own users, and a session cookie carried from one host to the other is
// refused there.
func TestPlatformAndTenantUsersCannotCross(t *testing.T) {
	srv := apptest.NewServer(t)
	tn := apptest.NewTenant(t)
	const tenantPW, platformPW = "tenant pass 7731", "platform pass 4821"
	addTenantUser(t, tn, "boss", tenantPW)
	op := addPlatformUser(t, platformPW)

	// A tenant's superuser at the platform admin.
	c := srv.Client(t)
	resp, body := login(t, c, mainDomain, "boss", tenantPW)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, msgBadLogin) {
		t.Errorf("a tenant's superuser logging in to the platform admin: got %d, want the login form refused:\n%s", resp.StatusCode, body)
	}
	// A platform user at a tenant's admin.
	resp, body = login(t, c, tn.Domain, op, platformPW)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, msgBadLogin) {
		t.Errorf("a platform user logging in to a tenant's admin: got %d, want the login form refused:\n%s", resp.StatusCode, body)
	}

	// Each logs in at home; each session cookie, carried to the other host,
	// is refused there.
	tenantBrowser, platformBrowser := srv.Client(t), srv.Client(t)
	if resp, _ := login(t, tenantBrowser, tn.Domain, "boss", tenantPW); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the tenant's superuser at its own admin: got %d, want 303", resp.StatusCode)
	}
	if resp, _ := login(t, platformBrowser, mainDomain, op, platformPW); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the platform user at the platform admin: got %d, want 303", resp.StatusCode)
	}
	if status, body := apptest.Get(t, platformBrowser, mainDomain, "/admin/"); status != http.StatusOK || !strings.Contains(body, "Platform administration") {
		t.Fatalf("the platform admin's index, logged in: got %d:\n%s", status, body)
	}
	carry := func(from *http.Client, fromHost, toHost string) {
		t.Helper()
		var session string
		for _, ck := range from.Jar.Cookies(&url.URL{Scheme: "http", Host: fromHost}) {
			if ck.Name == "sessionid" {
				session = ck.Value
			}
		}
		if session == "" {
			t.Fatalf("no session cookie for %s", fromHost)
		}
		req := apptest.NewRequest(t, http.MethodGet, toHost, "/admin/", nil)
		req.AddCookie(&http.Cookie{Name: "sessionid", Value: session})
		resp, _ := apptest.Do(t, srv.Client(t), req)
		if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login/") {
			t.Errorf("a session of %s carried to %s: got %d to %q, want a redirect to the login page",
				fromHost, toHost, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	carry(tenantBrowser, tn.Domain, mainDomain)
	carry(platformBrowser, mainDomain, tn.Domain)
}

// Every platform admin page, and every action, is for logged-in platform
// users only: anyone else is sent to the login page and nothing changes.
func TestPlatformAdminNeedsALogin(t *testing.T) {
	srv := apptest.NewServer(t)
	tn := apptest.NewTenant(t)
	c := srv.Client(t)
	for _, path := range []string{"/admin/", "/admin/tenants/", "/admin/tenants/" + tn.Schema + "/",
		"/admin/tenants/" + tn.Schema + "/delete/", "/admin/password_change/"} {
		status, _ := apptest.Get(t, c, mainDomain, path)
		if status != http.StatusFound {
			t.Errorf("GET %s logged out: got %d, want 302 to the login page", path, status)
		}
	}
	resp, _ := apptest.Post(t, c, mainDomain, "/admin/tenants/"+tn.Schema+"/suspend/",
		url.Values{"csrfmiddlewaretoken": {apptest.CSRF(t, c, mainDomain, "/admin/login/")}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login/") {
		t.Errorf("POST suspend logged out: got %d to %q, want 303 to the login page", resp.StatusCode, resp.Header.Get("Location"))
	}
	if s := status(t, srv, tn.Domain, "/polls/"); s != http.StatusOK {
		t.Errorf("the tenant after a refused suspend: got %d, want 200", s)
	}
}

// Platform logins are throttled as a tenant's: after 5 wrong passwords from
// one address the account is refused there (429), even the right password,
// while the same username on a tenant's site is counted apart.
func TestPlatformLoginIsThrottled(t *testing.T) {
	srv := apptest.NewServer(t)
	tn := apptest.NewTenant(t)
	const pw = "platform pass 4821"
	op := addPlatformUser(t, pw)
	addTenantUser(t, tn, op, pw) // the same name on a tenant: its own counter
	c := srv.Client(t)
	for i := range 5 {
		if resp, _ := login(t, c, mainDomain, op, "wrong"); resp.StatusCode != http.StatusOK {
			t.Fatalf("wrong password %d: got %d, want 200 with the form", i+1, resp.StatusCode)
		}
	}
	if resp, _ := login(t, c, mainDomain, op, pw); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("the right password after 5 wrong ones: got %d, want 429 with Retry-After", resp.StatusCode)
	}
	if resp, _ := login(t, c, tn.Domain, op, pw); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the tenant's user of the same name: got %d, want 303 (not throttled by the platform's failures)", resp.StatusCode)
	}
}
