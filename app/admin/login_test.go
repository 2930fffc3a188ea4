package admin_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"polls/app/apptest"
)

const msgBadLogin = "Please enter the correct username and password for a staff account."

func TestAnonymousVisitorsAreSentToLogin(t *testing.T) {
	s := newSite(t)
	for _, path := range []string{"/admin/", "/admin/polls/question/?q=x", "/admin/auth/user/", "/admin/password_change/"} {
		resp, err := s.client.Get("http://" + s.Domain + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := "/admin/login/?next=" + url.QueryEscape(path)
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != want {
			t.Errorf("GET %s: got %d to %q, want 302 to %q", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	body := s.getOK(t, "/admin/login/?next=/admin/polls/")
	for _, want := range []string{`name="username"`, `name="password"`, `type="hidden" name="csrfmiddlewaretoken"`, `name="next" value="/admin/polls/"`} {
		if !strings.Contains(body, want) {
			t.Errorf("login page: got no %s in\n%s", want, body)
		}
	}
}

func TestLoginAndLogout(t *testing.T) {
	s := newSite(t)
	s.addUser(t, superuser)
	planted := strings.Repeat("A", 43) // a token set before login must not survive it
	s.setCookie("sessionid", planted)

	resp, _ := s.post(t, "/admin/login/", url.Values{"username": {superuser.name}, "password": {superuser.password}, "next": {"/admin/polls/question/"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/polls/question/" {
		t.Fatalf("login: got %d to %q, want 303 to /admin/polls/question/", resp.StatusCode, resp.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "sessionid" {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatal("login: got no sessionid cookie, want one")
	}
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure || cookie.Path != "/" || cookie.Domain != "" {
		t.Errorf("cookie: got HttpOnly=%v SameSite=%v Secure=%v Path=%q Domain=%q, want HttpOnly, Lax, not Secure over http, /, host-only",
			cookie.HttpOnly, cookie.SameSite, cookie.Secure, cookie.Path, cookie.Domain)
	}
	if cookie.Value == planted || len(cookie.Value) != 43 {
		t.Errorf("cookie value: got %q, want a fresh 43-character token", cookie.Value)
	}
	if got, want := cookie.MaxAge, 14*24*3600; got != want {
		t.Errorf("cookie max age: got %d, want %d (two weeks)", got, want)
	}
	sum := sha256.Sum256([]byte(cookie.Value))
	s.wantCount(t, "sessions stored under the token's SHA-256", 1, "SELECT count(*) FROM django_session WHERE session_key = ?", hex.EncodeToString(sum[:]))
	s.wantCount(t, "sessions stored under the token itself", 0, "SELECT count(*) FROM django_session WHERE session_key = ?", cookie.Value)
	s.wantCount(t, "users with last_login set", 1, "SELECT count(*) FROM auth_user WHERE last_login IS NOT NULL")
	body := s.getOK(t, "/admin/")
	for _, want := range []string{"Welcome, admin", "Change password", "Log out"} {
		if !strings.Contains(visible(body), want) {
			t.Errorf("index header: got no %q in\n%s", want, body)
		}
	}

	resp, body = s.post(t, "/admin/logout/", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Logged out") {
		t.Fatalf("logout: got %d, %s; want 200 and Logged out", resp.StatusCode, body)
	}
	s.wantCount(t, "sessions after logout", 0, "SELECT count(*) FROM django_session")
	s.setCookie("sessionid", cookie.Value) // even if the browser kept it
	if status, _ := s.get(t, "/admin/"); status != http.StatusFound {
		t.Errorf("GET /admin/ with the logged-out token: got %d, want 302 to login", status)
	}
	if status, _ := s.get(t, "/admin/logout/"); status != http.StatusMethodNotAllowed {
		t.Errorf("GET /admin/logout/: got %d, want 405 (logout is POST only)", status)
	}
}

func TestLoginRefusals(t *testing.T) {
	s := newSite(t)
	s.addUser(t, superuser)
	s.addUser(t, user{name: "visitor", password: "plain user pass", active: true})
	s.addUser(t, user{name: "gone", password: "former staff pass", staff: true, active: false})
	for _, tt := range []struct {
		name, username, password string
	}{
		{"wrong password", superuser.name, "wrong password"},
		{"unknown user", "nobody", "whatever it is"},
		{"username is case-sensitive", "ADMIN", superuser.password},
		{"not staff", "visitor", "plain user pass"},
		{"inactive", "gone", "former staff pass"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := s.browser(t)
			resp, body := b.post(t, "/admin/login/", url.Values{"username": {tt.username}, "password": {tt.password}})
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("got status %d, want 200 with the form again", resp.StatusCode)
			}
			if got := errorNote(body); !strings.HasPrefix(got, msgBadLogin) {
				t.Errorf("got message %q, want %q", got, msgBadLogin)
			}
			if !strings.Contains(body, `value="`+tt.username+`"`) {
				t.Errorf("got the username not kept in the form, want it kept")
			}
			if b.cookie("sessionid") != "" {
				t.Errorf("got a session cookie, want none")
			}
		})
	}
	t.Run("blank fields", func(t *testing.T) {
		_, body := s.browser(t).post(t, "/admin/login/", url.Values{"username": {""}, "password": {""}})
		if got, want := fieldErrors(body), []string{"This field is required.", "This field is required."}; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("got errors %q, want %q", got, want)
		}
	})
	s.wantCount(t, "sessions after refused logins", 0, "SELECT count(*) FROM django_session")
}

func TestForgedForwardedForBuysNoFreshAttempts(t *testing.T) {
	s := newSite(t)
	s.addUser(t, superuser)
	// No proxy is trusted, so these headers come from the client itself: each
	// request claims another address.
	forged := func(i int) http.Header {
		addr := fmt.Sprintf("203.0.113.%d", i)
		return http.Header{"X-Forwarded-For": {addr}, "X-Real-Ip": {addr}}
	}
	wrong := url.Values{"username": {superuser.name}, "password": {"not it"}}
	for i := 1; i <= 5; i++ {
		if resp, _ := s.postWithHeader(t, "/admin/login/", wrong, forged(i)); resp.StatusCode != http.StatusOK {
			t.Fatalf("failed login %d: got %d, want 200", i, resp.StatusCode)
		}
	}
	resp, _ := s.postWithHeader(t, "/admin/login/", url.Values{"username": {superuser.name}, "password": {superuser.password}}, forged(6))
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("login after 5 failures, each with a different forged X-Forwarded-For and X-Real-IP: got %d, want 429", resp.StatusCode)
	}
	s.wantCount(t, "sessions after a throttled login", 0, "SELECT count(*) FROM django_session")
}

func TestLoginWithoutCSRFTokenIsRefused(t *testing.T) {
	s := newSite(t)
	s.addUser(t, superuser)
	// A token the site really issued, but to another browser.
	issued := apptest.CSRF(t, s.browser(t).client, s.Domain, "/admin/login/")
	for _, tt := range []struct {
		name   string
		cookie bool   // the browser holds its csrftoken cookie
		field  string // the form's csrfmiddlewaretoken
		send   bool   // whether the form has that field at all
	}{
		{name: "no token field", cookie: true},
		{name: "empty token field", cookie: true, send: true},
		{name: "another browser's token", cookie: true, field: issued, send: true},
		{name: "no cookie, another browser's token", field: issued, send: true},
		{name: "no cookie, no token field"},
		{name: "no cookie, empty token field", send: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := s.browser(t)
			if tt.cookie {
				apptest.CSRF(t, b.client, b.Domain, "/admin/login/")
			}
			// The right credentials: only the token can be why they are refused.
			form := url.Values{"username": {superuser.name}, "password": {superuser.password}}
			if tt.send {
				form.Set("csrfmiddlewaretoken", tt.field)
			}
			resp, body := apptest.Post(t, b.client, b.Domain, "/admin/login/", form)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF check failed") {
				t.Errorf("got %d, want 403 with the CSRF message; body:\n%s", resp.StatusCode, body)
			}
			if b.cookie("sessionid") != "" {
				t.Errorf("got a sessionid cookie, want none")
			}
			s.wantCount(t, "sessions stored", 0, "SELECT count(*) FROM django_session")
			s.wantCount(t, "users with last_login set", 0, "SELECT count(*) FROM auth_user WHERE last_login IS NOT NULL")
		})
	}
	// The same credentials with the browser's own token do log in.
	s.login(t, superuser)
	s.wantCount(t, "sessions after a login with the token", 1, "SELECT count(*) FROM django_session")
}

func TestNextMustBeALocalPath(t *testing.T) {
	s := newSite(t)
	s.addUser(t, superuser)
	for _, tt := range []struct{ next, want string }{
		{"/admin/polls/question/?q=a", "/admin/polls/question/?q=a"},
		{"//evil.example/", "/admin/"},
		{"https://evil.example/", "/admin/"},
		{"/\\evil.example", "/admin/"},
		{"javascript:alert(1)", "/admin/"},
		{"", "/admin/"},
	} {
		b := s.browser(t)
		resp, _ := b.post(t, "/admin/login/", url.Values{"username": {superuser.name}, "password": {superuser.password}, "next": {tt.next}})
		if got := resp.Header.Get("Location"); got != tt.want {
			t.Errorf("next %q: got redirect to %q, want %q", tt.next, got, tt.want)
		}
	}
}

func TestExpiredSessionIsRefused(t *testing.T) {
	s := newSite(t)
	id := s.addUser(t, superuser)
	token := strings.Repeat("x", 43)
	sum := sha256.Sum256([]byte(token))
	s.Exec(t, "INSERT INTO django_session (session_key, user_id, expire_date) VALUES (?, ?, now() - interval '1 second')",
		hex.EncodeToString(sum[:]), id)
	s.setCookie("sessionid", token)
	if status, _ := s.get(t, "/admin/"); status != http.StatusFound {
		t.Errorf("GET /admin/ with an expired session: got %d, want 302 to login", status)
	}
	// The same row, not yet expired, lets the browser in: the token is what counts.
	s.Exec(t, "UPDATE django_session SET expire_date = now() + interval '1 hour'")
	if status, _ := s.get(t, "/admin/"); status != http.StatusOK {
		t.Errorf("GET /admin/ with a live session: got %d, want 200", status)
	}
	s.login(t, superuser) // logging in sweeps expired sessions
	s.Exec(t, "UPDATE django_session SET expire_date = now() - interval '1 second' WHERE session_key = ?", hex.EncodeToString(sum[:]))
	s.browser(t).login(t, superuser)
	s.wantCount(t, "expired sessions after a login", 0, "SELECT count(*) FROM django_session WHERE expire_date <= now()")
}

func TestSessionOfDemotedUserNoLongerEnters(t *testing.T) {
	s := newSite(t).loggedInAs(t, staffUser)
	s.Exec(t, "UPDATE auth_user SET is_staff = false")
	if status, _ := s.get(t, "/admin/"); status != http.StatusFound {
		t.Fatalf("GET /admin/ as a former staff user: got %d, want 302 to login", status)
	}
	body := s.getOK(t, "/admin/login/")
	if !strings.Contains(body, "You are authenticated as editor, but are not authorized to access this page.") {
		t.Errorf("login page: got no explanation in\n%s", body)
	}
}

func TestRepeatedFailedLoginsAreThrottled(t *testing.T) {
	// Two tenants on one server, so one throttle: only its key keeps them apart.
	sites := newSites(t, 2)
	s, other := sites[0], sites[1]
	s.addUser(t, superuser)
	other.addUser(t, superuser)
	s.addUser(t, staffUser)
	wrong := url.Values{"username": {superuser.name}, "password": {"not it"}}
	for i := 1; i <= 5; i++ {
		if resp, _ := s.post(t, "/admin/login/", wrong); resp.StatusCode != http.StatusOK {
			t.Fatalf("failed login %d: got %d, want 200", i, resp.StatusCode)
		}
	}
	// Now even the right password is refused, without being checked.
	resp, body := s.post(t, "/admin/login/", url.Values{"username": {superuser.name}, "password": {superuser.password}})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("login after 5 failures: got %d, want 429", resp.StatusCode)
	}
	if got := resp.Header.Get("Retry-After"); got == "" || got == "0" {
		t.Errorf("Retry-After: got %q, want seconds to wait", got)
	}
	if got, want := errorNote(body), "Too many failed login attempts for this account. Please try again in 15 minutes."; got != want {
		t.Errorf("message: got %q, want %q", got, want)
	}
	if s.cookie("sessionid") != "" {
		t.Errorf("got a session cookie while throttled, want none")
	}
	// The same username from the same address on another tenant of the same
	// server is counted apart, and so is another username on this tenant.
	resp, _ = other.post(t, "/admin/login/", url.Values{"username": {superuser.name}, "password": {superuser.password}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("same username on another tenant: got %d, want 303 (throttled separately)", resp.StatusCode)
	}
	resp, _ = s.browser(t).post(t, "/admin/login/", url.Values{"username": {staffUser.name}, "password": {staffUser.password}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another username on the same tenant: got %d, want 303 (throttled separately)", resp.StatusCode)
	}
}
