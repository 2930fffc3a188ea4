package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"polls/app/apptest"
)

// TestPasswordChangeGivesTheSessionANewKey: as Django's
// update_session_auth_hash, changing one's password keeps one logged in
// under a new session key; the old token, wherever it was copied to, is
// refused.
func TestPasswordChangeGivesTheSessionANewKey(t *testing.T) {
	s := newSite(t).loggedInAs(t, staffUser)
	old := s.cookie("sessionid")
	s.postRedirect(t, "/admin/password_change/", url.Values{
		"old_password": {staffUser.password}, "new_password1": {"fresh violet tree"}, "new_password2": {"fresh violet tree"},
	})
	if got := s.cookie("sessionid"); got == old || len(got) != 43 {
		t.Fatalf("session cookie after the change: got %q, want a new 43-character token (was %q)", got, old)
	}
	if body := s.getOK(t, "/admin/"); !strings.Contains(visible(body), "Welcome, editor") {
		t.Errorf("GET /admin/ with the new token: got no welcome in\n%s", body)
	}
	stale := s.browser(t)
	stale.setCookie("sessionid", old)
	if status, _ := stale.get(t, "/admin/"); status != http.StatusFound {
		t.Errorf("GET /admin/ with the token from before the change: got %d, want 302 to login", status)
	}
	s.wantCount(t, "sessions after the change (the new one)", 1, "SELECT count(*) FROM django_session")
}

// TestOwnPasswordChangedOnTheUserFormGivesANewKey: a superuser setting
// their own password on the user form is treated like the password change
// page: a new session key, the old token and the admin's other sessions
// refused, the next page's message kept, another user's session untouched.
func TestOwnPasswordChangedOnTheUserFormGivesANewKey(t *testing.T) {
	s := newSite(t).loggedInAs(t, superuser)
	id := s.scalar(t, "SELECT id FROM auth_user WHERE username = ?", superuser.name)
	elsewhere := s.browser(t)
	elsewhere.login(t, superuser)
	editor := s.browser(t).loggedInAs(t, staffUser)
	old := s.cookie("sessionid")
	s.postRedirect(t, fmt.Sprintf("/admin/auth/user/%d/change/", id), url.Values{
		"username": {superuser.name}, "email": {"admin@example.com"}, "is_active": {"on"}, "is_staff": {"on"}, "is_superuser": {"on"},
		"password1": {"fresh violet tree"}, "password2": {"fresh violet tree"},
	})
	if got := s.cookie("sessionid"); got == old || len(got) != 43 {
		t.Fatalf("session cookie after the change: got %q, want a new 43-character token (was %q)", got, old)
	}
	if got := message(s.getOK(t, "/admin/auth/user/")); !strings.Contains(got, "was changed successfully") {
		t.Errorf("message after the change: got %q, want the change confirmed", got)
	}
	stale := s.browser(t)
	stale.setCookie("sessionid", old)
	for _, tt := range []struct {
		name    string
		browser site
		want    int
	}{
		{"the old token", stale, http.StatusFound},
		{"the admin's other browser", elsewhere, http.StatusFound},
		{"another user", editor, http.StatusOK},
	} {
		if status, _ := tt.browser.get(t, "/admin/"); status != tt.want {
			t.Errorf("GET /admin/ with %s: got %d, want %d", tt.name, status, tt.want)
		}
	}
}

// TestLoginRotatesTheCSRFToken: as Django, logging in gives a new CSRF
// token, so a token seen before the login cannot forge a form after it.
func TestLoginRotatesTheCSRFToken(t *testing.T) {
	s := newSite(t)
	s.addUser(t, superuser)
	before := apptest.CSRF(t, s.client, s.Domain, "/admin/login/")
	s.login(t, superuser)
	after := s.cookie("csrftoken")
	if after == before || len(after) != 43 {
		t.Fatalf("csrftoken after login: got %q, want a new 43-character token (was %q)", after, before)
	}
	resp, _ := apptest.Post(t, s.client, s.Domain, "/admin/logout/", url.Values{"csrfmiddlewaretoken": {before}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("logout with the token from before the login: got %d, want 403", resp.StatusCode)
	}
	resp, _ = apptest.Post(t, s.client, s.Domain, "/admin/logout/", url.Values{"csrfmiddlewaretoken": {after}})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("logout with the new token: got %d, want 200", resp.StatusCode)
	}
}
