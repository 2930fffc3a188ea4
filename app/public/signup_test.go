package public_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/auth"
)

// TestSignupLandsLoggedInOnTheNewSite: the landing page shows the service
// and the form; a valid sign-up creates the tenant on trial with its
// superuser, and the browser lands in the new site's admin, logged in there,
// with the session on the new host only.
func TestSignupLandsLoggedInOnTheNewSite(t *testing.T) {
	srv := newSignupServer(t)
	c := srv.Client(t)
	status, body := apptest.Get(t, c, mainHost, "/")
	if status != http.StatusOK || !strings.Contains(body, "What you get") || !strings.Contains(body, `action="/signup/"`) ||
		!strings.Contains(body, ".localhost") || strings.Contains(body, `href="/polls/"`) {
		t.Fatalf("landing page: got %d, want the presentation, the features and the form, no link to /polls/:\n%s", status, body)
	}
	resp, _ := apptest.Do(t, c, apptest.NewRequest(t, http.MethodGet, mainHost, "/", nil))
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' *.localhost:*") {
		t.Errorf("the landing page's policy %q stops the browser at the redirect to the new site", csp)
	}
	sub := newSubdomain(t)
	resp, body = postSignup(t, c, validForm(sub))
	loc := resp.Header.Get("Location")
	prefix := "http://" + sub + ".localhost:8080/admin/handoff/?token="
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("sign-up: got %d to %q, want 303 to %s...:\n%s", resp.StatusCode, loc, prefix, body)
	}

	var onTrial bool
	var paidUntil time.Time
	var name string
	err := apptest.DB(t).SQL.QueryRow(`SELECT on_trial, paid_until, name FROM public.tenants WHERE schema_name = $1 AND ready`, sub).
		Scan(&onTrial, &paidUntil, &name)
	if err != nil {
		t.Fatal(err)
	}
	wantPaid := time.Now().UTC().AddDate(0, 0, 14).Format(time.DateOnly)
	if !onTrial || paidUntil.Format(time.DateOnly) != wantPaid || name != "Acme "+sub {
		t.Errorf("registry: on_trial %v, paid_until %s, name %q; want true, %s (tenancy.trial_days 14), %q", onTrial, paidUntil.Format(time.DateOnly), name, wantPaid, "Acme "+sub)
	}

	resp, _ = apptest.Do(t, c, apptest.NewRequest(t, http.MethodGet, sub+".localhost:8080", strings.TrimPrefix(loc, "http://"+sub+".localhost:8080"), nil))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/" {
		t.Fatalf("handoff: got %d to %q, want 303 to /admin/", resp.StatusCode, resp.Header.Get("Location"))
	}
	status, body = apptest.Get(t, c, sub+".localhost:8080", "/admin/")
	if status != http.StatusOK || !strings.Contains(body, "Welcome, <strong>owner</strong>") || !strings.Contains(body, "Acme "+sub+" administration") {
		t.Fatalf("the new site's admin: got %d, want its index with owner logged in:\n%s", status, body)
	}
	for _, host := range []string{mainHost, "other.localhost:8080"} {
		u, _ := url.Parse("http://" + host + "/")
		for _, ck := range c.Jar.Cookies(u) {
			if ck.Name == auth.CookieName {
				t.Errorf("the new site's session cookie is also set for %s", host)
			}
		}
	}

	// The token worked once: used again it logs nobody in.
	c2 := srv.Client(t)
	resp, body = apptest.Do(t, c2, apptest.NewRequest(t, http.MethodGet, sub+".localhost:8080", strings.TrimPrefix(loc, "http://"+sub+".localhost:8080"), nil))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "expired or was already used") {
		t.Fatalf("the handoff link a second time: got %d, want the login page saying it is used:\n%s", resp.StatusCode, body)
	}
	if status, _ := apptest.Get(t, c2, sub+".localhost:8080", "/admin/"); status != http.StatusFound {
		t.Fatalf("after a used handoff link: /admin/ got %d, want 302 to the login page", status)
	}

	// The owner's password logs in too: the hash is the process's argon2id.
	form := url.Values{"csrfmiddlewaretoken": {apptest.CSRF(t, c2, sub+".localhost:8080", "/admin/login/")},
		"username": {"owner"}, "password": {"violet-harbour-42"}, "next": {"/admin/"}}
	resp, _ = apptest.Post(t, c2, sub+".localhost:8080", "/admin/login/", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("log in with the signed-up password: got %d, want 303", resp.StatusCode)
	}
}
