package web_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/config"
)

// postVote sends a vote for b with the given extra headers, the token in the
// form unless formToken is false; it returns the status.
func postVote(t *testing.T, srv *apptest.Server, b ballot, headers map[string]string, formToken bool, query string) int {
	t.Helper()
	client := srv.Client(t)
	token := apptest.CSRF(t, client, b.Domain, "/polls/")
	form := url.Values{"choice": {fmt.Sprint(b.choice)}}
	if formToken {
		form.Set("csrfmiddlewaretoken", token)
	}
	path := fmt.Sprintf("/polls/%d/vote/%s", b.question, strings.ReplaceAll(query, "TOKEN", token))
	req := apptest.NewRequest(t, http.MethodPost, b.Domain, path, form)
	for k, v := range headers {
		req.Header.Set(k, strings.ReplaceAll(v, "TOKEN", token))
	}
	resp, _ := apptest.Do(t, client, req)
	return resp.StatusCode
}

// TestCSRFAsDjango: a post must come from the site itself (or a trusted
// origin), with the token in the body or the X-CSRFToken header, never in
// the address. Refused votes are not counted.
func TestCSRFAsDjango(t *testing.T) {
	srv := apptest.NewServerWith(t, apptest.Options{Config: func(c *config.Config) {
		c.Server.TrustedOrigins = []string{"https://www.maboite.test"}
	}})
	b := newBallot(t, apptest.NewTenant(t), ``)
	self := "http://" + b.Domain
	for _, tt := range []struct {
		name      string
		headers   map[string]string
		formToken bool
		query     string
		want      int
	}{
		{"same origin", map[string]string{"Origin": self}, true, "", http.StatusSeeOther},
		{"no Origin over plain HTTP", nil, true, "", http.StatusSeeOther},
		{"trusted origin", map[string]string{"Origin": "https://www.maboite.test"}, true, "", http.StatusSeeOther},
		{"another site's origin", map[string]string{"Origin": "https://evil.example"}, true, "", http.StatusForbidden},
		{"another tenant's origin", map[string]string{"Origin": "http://other-tenant.test"}, true, "", http.StatusForbidden},
		{"opaque origin", map[string]string{"Origin": "null"}, true, "", http.StatusForbidden},
		{"token in the header", map[string]string{"X-CSRFToken": "TOKEN"}, false, "", http.StatusSeeOther},
		{"token in the address only", nil, false, "?csrfmiddlewaretoken=TOKEN", http.StatusForbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := b.votes(t)
			if got := postVote(t, srv, b, tt.headers, tt.formToken, tt.query); got != tt.want {
				t.Fatalf("got %d, want %d", got, tt.want)
			}
			counted := b.votes(t) - before
			if want := map[bool]int{true: 1, false: 0}[tt.want == http.StatusSeeOther]; counted != want {
				t.Fatalf("%d votes counted, want %d", counted, want)
			}
		})
	}
}

// rawRequest sends text as is to the server and returns the status line.
func rawRequest(t *testing.T, srv *apptest.Server, text string) string {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(line)
}

// TestRequestShapeLimits: what no browser sends is refused before any tenant
// is looked up: the site from an absolute request target, an address over
// 8 KB, more than 1,000 fields, and parameters that are not text.
func TestRequestShapeLimits(t *testing.T) {
	srv := apptest.NewServer(t)
	a, b := quietTenant(t), quietTenant(t)
	client := srv.Client(t)

	status := rawRequest(t, srv, "GET http://"+b.Domain+"/polls/ HTTP/1.1\r\nHost: "+a.Domain+"\r\nConnection: close\r\n\r\n")
	if !strings.Contains(status, " 400 ") {
		t.Errorf("absolute target naming another tenant than Host: got %q, want 400", status)
	}
	if status := rawRequest(t, srv, "GET /polls/ HTTP/1.1\r\nHost: "+a.Domain+"\r\nConnection: close\r\n\r\n"); !strings.Contains(status, " 200 ") {
		t.Errorf("the same request with the path only: got %q, want 200", status)
	}

	long := "/polls/?q=" + strings.Repeat("a", 8<<10)
	if got, _ := apptest.Get(t, client, a.Domain, long); got != http.StatusRequestURITooLong {
		t.Errorf("a request target over 8 KB: got %d, want 414", got)
	}
	many := url.Values{}
	for i := range 1001 {
		many.Add(fmt.Sprintf("f%d", i), "x")
	}
	if got, _ := apptest.Get(t, client, a.Domain, "/polls/?"+many.Encode()); got != http.StatusBadRequest {
		t.Errorf("1,001 query parameters: got %d, want 400", got)
	}
	for _, q := range []string{"q=%00", "q=%FF", "%00=1", "q=a%C3"} {
		if got, body := apptest.Get(t, client, a.Domain, "/polls/?"+q); got != http.StatusBadRequest || !strings.Contains(body, "invalid text") {
			t.Errorf("?%s: got %d, want 400 saying why", q, got)
		}
	}
	if got, _ := apptest.Get(t, client, a.Domain, "/polls/?q=caf%C3%A9&x=1"); got != http.StatusOK {
		t.Errorf("ordinary parameters: got %d, want 200", got)
	}

	ballot := newBallot(t, apptest.NewTenant(t), ``)
	token := apptest.CSRF(t, client, ballot.Domain, "/polls/")
	form := url.Values{"choice": {fmt.Sprint(ballot.choice)}, "csrfmiddlewaretoken": {token}}
	for i := range 999 {
		form.Add(fmt.Sprintf("f%d", i), "x")
	}
	if resp, _ := apptest.Post(t, client, ballot.Domain, fmt.Sprintf("/polls/%d/vote/", ballot.question), form); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a form of 1,001 fields: got %d, want 400", resp.StatusCode)
	}
	form.Del("f998")
	if resp, _ := apptest.Post(t, client, ballot.Domain, fmt.Sprintf("/polls/%d/vote/", ballot.question), form); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a form of 1,000 fields: got %d, want 303", resp.StatusCode)
	}
	if counted := ballot.votes(t); counted != 1 {
		t.Errorf("%d votes counted, want 1 (only the form within the limit)", counted)
	}
}

// TestPagesAreNotSharedByCaches: every tenant page may carry its visitor's
// token or session, so each says Vary: Cookie and private (or the admin's
// stricter no-store).
func TestPagesAreNotSharedByCaches(t *testing.T) {
	srv := apptest.NewServer(t)
	b := newBallot(t, quietTenant(t), ``)
	for _, tc := range []struct{ path, cacheControl string }{
		{"/polls/", "private"},
		{fmt.Sprintf("/polls/%d/", b.question), "private"},
		{fmt.Sprintf("/polls/%d/results/", b.question), "private"},
		{"/admin/login/", "no-store"},
	} {
		resp, err := srv.Client(t).Get("http://" + b.Domain + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Vary") != "Cookie" || resp.Header.Get("Cache-Control") != tc.cacheControl {
			t.Errorf("%s: got %d, Vary %q, Cache-Control %q; want 200, Cookie, %s", tc.path, resp.StatusCode,
				resp.Header.Get("Vary"), resp.Header.Get("Cache-Control"), tc.cacheControl)
		}
	}
}
