package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"polls/app/apptest"
	"polls/app/config"
)

// newSiteTrusting starts the application with server.trusted_proxies set to
// cidrs, serving one tenant. The test's requests all come from 127.0.0.1.
func newSiteTrusting(t *testing.T, cidrs ...string) site {
	t.Helper()
	srv := apptest.NewServerWith(t, apptest.Options{Config: func(c *config.Config) {
		c.Server.TrustedProxies = cidrs
	}})
	return site{Tenant: apptest.NewTenant(t), srv: srv, client: srv.Client(t)}
}

// send sends one request with exactly these headers and cookies (no cookie
// jar: a jar keeps Secure cookies away from http:// URLs, and these tests
// pose as a TLS proxy talking plain HTTP to polls).
func (s site) send(t *testing.T, method, path string, form url.Values, header http.Header, cookies ...*http.Cookie) (*http.Response, string) {
	t.Helper()
	req := apptest.NewRequest(t, method, s.Domain, path, form)
	for k, v := range header {
		req.Header[k] = v
	}
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	client := s.srv.Client(t)
	client.Jar = nil
	return apptest.Do(t, client, req)
}

// setCookie returns the response's Set-Cookie for name, or nil.
func setCookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// loginVia logs in as u through the given headers (a Referer on HTTPS, as a
// browser sends) and returns the login page's and the login's responses.
func (s site) loginVia(t *testing.T, u user, header http.Header) (page, login *http.Response) {
	t.Helper()
	page, _ = s.send(t, http.MethodGet, "/admin/login/", nil, header)
	csrf := setCookie(page, "csrftoken")
	if csrf == nil {
		t.Fatal("login page: got no csrftoken cookie")
	}
	h := header.Clone()
	h.Set("Referer", "https://"+s.Domain+"/admin/login/")
	form := url.Values{"username": {u.name}, "password": {u.password}, "csrfmiddlewaretoken": {csrf.Value}}
	login, body := s.send(t, http.MethodPost, "/admin/login/", form, h, csrf)
	if login.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: got %d, want 303; body:\n%s", login.StatusCode, body)
	}
	return page, login
}

// TestCookiesAreSecureBehindATrustedTLSProxy: Django's SESSION_COOKIE_SECURE,
// CSRF_COOKIE_SECURE and SECURE_PROXY_SSL_HEADER in one: a TLS proxy polls
// trusts says https, so the session and CSRF cookies, and the logout's, are
// Secure; the same proxy speaking for a plain-HTTP visitor gets none.
func TestCookiesAreSecureBehindATrustedTLSProxy(t *testing.T) {
	s := newSiteTrusting(t, "127.0.0.0/8")
	s.addUser(t, superuser)
	for _, tt := range []struct {
		proto string
		want  bool
	}{{"https", true}, {"HTTPS, http", true}, {"http", false}, {"", false}} {
		header := http.Header{}
		if tt.proto != "" {
			header.Set("X-Forwarded-Proto", tt.proto)
		}
		page, login := s.loginVia(t, superuser, header)
		session := setCookie(login, "sessionid")
		for _, c := range []*http.Cookie{setCookie(page, "csrftoken"), session, setCookie(login, "csrftoken")} {
			if c == nil {
				t.Fatalf("X-Forwarded-Proto %q: got a cookie missing (login page's csrftoken, sessionid, login's new csrftoken)", tt.proto)
			}
			if c.Secure != tt.want {
				t.Errorf("X-Forwarded-Proto %q: cookie %s got Secure=%v, want %v", tt.proto, c.Name, c.Secure, tt.want)
			}
		}
		h := header.Clone()
		h.Set("Referer", "https://"+s.Domain+"/admin/")
		csrf := setCookie(login, "csrftoken")
		resp, _ := s.send(t, http.MethodPost, "/admin/logout/", url.Values{"csrfmiddlewaretoken": {csrf.Value}}, h, csrf, session)
		if c := setCookie(resp, "sessionid"); resp.StatusCode != http.StatusOK || c == nil || c.Secure != tt.want {
			t.Errorf("X-Forwarded-Proto %q: logout got %d with sessionid cookie %v, want 200 and Secure=%v", tt.proto, resp.StatusCode, c, tt.want)
		}
	}
}

// TestForwardedHeadersFromUntrustedPeersAreIgnored: with no trusted proxy
// (the default), or one that is not the peer, X-Forwarded-Proto makes no
// cookie Secure, and X-Forwarded-For buys no fresh login attempts, even
// from loopback, which echo would trust unless told not to.
func TestForwardedHeadersFromUntrustedPeersAreIgnored(t *testing.T) {
	for _, tt := range []struct {
		name string
		site func(t *testing.T) site
	}{
		{"no trusted proxy", newSite},
		{"another proxy trusted", func(t *testing.T) site { return newSiteTrusting(t, "192.0.2.0/24") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.site(t)
			s.addUser(t, superuser)
			page, login := s.loginVia(t, superuser, http.Header{"X-Forwarded-Proto": {"https"}})
			for _, c := range []*http.Cookie{setCookie(page, "csrftoken"), setCookie(login, "sessionid")} {
				if c == nil || c.Secure {
					t.Errorf("cookie from an untrusted X-Forwarded-Proto: got %v, want one not Secure", c)
				}
			}
			wrong := url.Values{"username": {superuser.name}, "password": {"not it"}}
			for i := range 5 {
				addr := fmt.Sprintf("198.51.100.%d", i+1)
				if resp, _ := s.postWithHeader(t, "/admin/login/", wrong, http.Header{"X-Forwarded-For": {addr}}); resp.StatusCode != http.StatusOK {
					t.Fatalf("failed login %d: got %d, want 200", i+1, resp.StatusCode)
				}
			}
			right := url.Values{"username": {superuser.name}, "password": {superuser.password}}
			if resp, _ := s.postWithHeader(t, "/admin/login/", right, http.Header{"X-Forwarded-For": {"198.51.100.99"}}); resp.StatusCode != http.StatusTooManyRequests {
				t.Errorf("after 5 failures claiming 5 addresses: got %d, want 429 (all counted for 127.0.0.1)", resp.StatusCode)
			}
		})
	}
}

// TestTrustedProxyTellsClientsApart: behind a trusted proxy the throttle
// counts each client's own address (the nearest untrusted one in
// X-Forwarded-For), so one client's failures do not lock out another.
func TestTrustedProxyTellsClientsApart(t *testing.T) {
	s := newSiteTrusting(t, "127.0.0.0/8", "10.0.0.0/8")
	s.addUser(t, superuser)
	// The client's own claim (first) is not believed: the nearest untrusted
	// address is the one the trusted proxies saw.
	attacker := http.Header{"X-Forwarded-For": {"192.0.2.50, 203.0.113.7, 10.1.2.3"}}
	wrong := url.Values{"username": {superuser.name}, "password": {"not it"}}
	for i := 1; i <= 5; i++ {
		if resp, _ := s.postWithHeader(t, "/admin/login/", wrong, attacker); resp.StatusCode != http.StatusOK {
			t.Fatalf("failed login %d: got %d, want 200", i, resp.StatusCode)
		}
	}
	right := url.Values{"username": {superuser.name}, "password": {superuser.password}}
	for _, tt := range []struct {
		xff  string
		want int
	}{
		{"198.51.100.1, 203.0.113.7, 10.1.2.3", http.StatusTooManyRequests}, // the same client, another claim
		{"203.0.113.7", http.StatusTooManyRequests},
		{"203.0.113.8", http.StatusSeeOther}, // another client
	} {
		resp, _ := s.browser(t).postWithHeader(t, "/admin/login/", right, http.Header{"X-Forwarded-For": {tt.xff}})
		if resp.StatusCode != tt.want {
			t.Errorf("right password via X-Forwarded-For %q: got %d, want %d", tt.xff, resp.StatusCode, tt.want)
		}
	}
}
