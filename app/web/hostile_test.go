package web_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
)

// rawGet sends a request with exactly the given Host header and path, which
// Go's HTTP client would refuse to send, and returns the status and body.
func rawGet(t *testing.T, srvURL, host, path string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srvURL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read response for Host %q path %q: %v", host, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// hostileSetup makes two tenants, each with a question whose text marks it.
func hostileSetup(t *testing.T) (srv *apptest.Server, a, b apptest.Tenant) {
	a, b = apptest.NewTenant(t), apptest.NewTenant(t)
	a.Exec(t, "INSERT INTO polls_question (question_text, pub_date) VALUES ('secret of A', now() - interval '1 hour')")
	b.Exec(t, "INSERT INTO polls_question (question_text, pub_date) VALUES ('secret of B', now() - interval '1 hour')")
	return apptest.NewServer(t), a, b
}

func TestHostileHostHeaders(t *testing.T) {
	srv, a, _ := hostileSetup(t)
	hosts := []struct {
		name, host string
		wantOK     bool // the request names tenant A, in another spelling
	}{
		{"empty", "", false},
		{"very long", strings.Repeat("a", 8000) + ".test", false},
		{"odd characters", "a<b>\"c'.test", false},
		{"percent", "%2e%2e.test", false},
		{"ip", "127.0.0.1", false},
		{"ipv6", "[::1]:8080", false},
		{"suffix attack", a.Domain + ".evil.com", false},
		{"prefix attack", "evil" + a.Domain, false},
		{"trailing dot", a.Domain + ".", false},
		{"port garbage", a.Domain + ":abc", false},
		{"huge port", a.Domain + ":99999999", false},
		{"uppercase", strings.ToUpper(a.Domain), true},
		{"with port", a.Domain + ":8080", true},
		{"with www", "www." + a.Domain, true},
	}
	for _, tt := range hosts {
		t.Run(tt.name, func(t *testing.T) {
			status, body := rawGet(t, srv.URL, tt.host, "/polls/")
			if status >= 500 {
				t.Fatalf("Host %q: got %d, want no 5xx", tt.host, status)
			}
			if strings.Contains(body, "secret of B") {
				t.Fatalf("Host %q: got tenant B's data", tt.host)
			}
			if tt.wantOK {
				if status != http.StatusOK || !strings.Contains(body, "secret of A") {
					t.Fatalf("Host %q: got %d, want tenant A's index", tt.host, status)
				}
				return
			}
			if status < 400 || strings.Contains(body, "secret of A") {
				t.Fatalf("Host %q: got %d, want a 4xx without any tenant's data", tt.host, status)
			}
		})
	}
}

func TestHostilePaths(t *testing.T) {
	srv, a, _ := hostileSetup(t)
	paths := []string{
		"/polls/../../etc/passwd",
		"/polls/%2e%2e/%2e%2e/etc/passwd",
		"/polls/1%2F..%2F2/",
		"/static/../../go.mod",
		"/static/%2e%2e/%2e%2e/go.mod",
		"/polls/99999999999999999999999999/",
		"/polls/-1/",
		"/polls/0x1/",
		"/polls/1e9/results/",
		"/polls/%00/",
		"/admin/polls/question/99999999999999999999999/change/",
		"/" + strings.Repeat("a", 5000),
	}
	for _, p := range paths {
		t.Run(p[:min(len(p), 40)], func(t *testing.T) {
			status, body := rawGet(t, srv.URL, a.Domain, p)
			if strings.HasPrefix(p, "/admin/") && status == http.StatusFound {
				return // anonymous: sent to the login page before the id is even read
			}
			if status < 400 || status >= 500 {
				t.Fatalf("path %q: got %d, want a 4xx", p, status)
			}
			if strings.Contains(body, "module polls") || strings.Contains(body, "secret of B") {
				t.Fatalf("path %q leaked a file or another tenant's data", p)
			}
		})
	}
}

func TestHostileFormFields(t *testing.T) {
	srv, a, _ := hostileSetup(t)
	a.Exec(t, "INSERT INTO polls_choice (question_id, choice_text) SELECT id, 'yes' FROM polls_question")
	client := srv.Client(t)
	token := apptest.CSRF(t, client, a.Domain, "/polls/")
	var qid int64
	a.Scan(t, &qid, `SELECT id FROM polls_question`)
	for _, choice := range []string{"1 OR 1=1", "1; DROP TABLE polls_choice", "<script>alert(1)</script>", "\xff\xfe", "99999999999999999999999"} {
		resp, body := apptest.Post(t, client, a.Domain, fmt.Sprintf("/polls/%d/vote/", qid),
			url.Values{"choice": {choice}, "csrfmiddlewaretoken": {token}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "You didn&#39;t select a choice.") {
			t.Fatalf("choice %q: got %d, want the detail page with the error", choice, resp.StatusCode)
		}
		if strings.Contains(body, "<script>alert(1)</script>") {
			t.Fatalf("choice %q came back unescaped", choice)
		}
	}
	var votes int
	a.Scan(t, &votes, `SELECT coalesce(sum(votes), 0) FROM polls_choice`)
	if votes != 0 {
		t.Fatalf("hostile choices counted %d votes, want 0", votes)
	}
}

func TestStoredHTMLIsEscaped(t *testing.T) {
	a := apptest.NewTenant(t)
	a.Exec(t, `INSERT INTO polls_question (question_text, pub_date) VALUES ('<img src=x onerror=alert(1)>', now() - interval '1 hour')`)
	srv := apptest.NewServer(t)
	status, body := apptest.Get(t, srv.Client(t), a.Domain, "/polls/")
	if status != http.StatusOK || strings.Contains(body, "<img src=x") || !strings.Contains(body, "&lt;img src=x") {
		t.Fatalf("got %d, want the question text escaped:\n%s", status, body)
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	srv, a, _ := hostileSetup(t)
	for _, tc := range []struct{ host, path string }{
		{a.Domain, "/polls/"},
		{a.Domain, "/polls/999/"},
		{"unknown.test", "/polls/"},
		{a.Domain, "/static/polls/style.css"},
		{a.Domain, "/admin/login/"},
	} {
		resp, err := srv.Client(t).Get("http://" + tc.host + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s%s: Content-Security-Policy %q", tc.host, tc.path, csp)
		}
		for h, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("%s%s: %s = %q, want %q", tc.host, tc.path, h, got, want)
			}
		}
	}
}

func TestMissingTrailingSlashRedirects(t *testing.T) {
	srv, a, _ := hostileSetup(t)
	var qid int64
	a.Scan(t, &qid, `SELECT id FROM polls_question`)
	client := srv.Client(t)
	for path, want := range map[string]string{
		"/polls":                              "/polls/",
		fmt.Sprintf("/polls/%d?x=1", qid):     fmt.Sprintf("/polls/%d/?x=1", qid),
		fmt.Sprintf("/polls/%d/results", qid): fmt.Sprintf("/polls/%d/results/", qid),
	} {
		resp, err := client.Get("http://" + a.Domain + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
			t.Errorf("GET %s: got %d to %q, want 301 to %q", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	if status, _ := apptest.Get(t, client, a.Domain, "/nothing-here"); status != http.StatusNotFound {
		t.Errorf("GET /nothing-here: got %d, want 404", status)
	}
	if status, _ := apptest.Get(t, client, "unknown.test", "/polls"); status != http.StatusNotFound {
		t.Errorf("unknown host: got %d, want 404 before any redirect", status)
	}
}
