package polls_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"polls/app/apptest"
)

// TestBadInputIsRefusedCleanly sends what browsers and bots send by mistake
// or on purpose. Each gets its 4xx page, no vote is counted, and nothing is
// logged as an error (no 500, no stack trace).
func TestBadInputIsRefusedCleanly(t *testing.T) {
	srv := apptest.NewServer(t)
	logs := srv.Logs
	s := site{Tenant: apptest.NewTenant(t), client: srv.Client(t)}
	other := site{Tenant: apptest.NewTenant(t), client: srv.Client(t)}
	s.AddQuestion(t, 1, "What's up?", "-1 hour", apptest.Choice{ID: 10, Text: "Not much"})
	token := apptest.CSRF(t, s.client, s.Domain, "/polls/1/")
	otherToken := apptest.CSRF(t, other.client, other.Domain, "/polls/")

	const (
		notFound = "The page you asked for does not exist."
		expired  = "This form has expired or was not sent from this site (CSRF check failed). Reload the page and submit it again."
		tooLarge = "The request is too large."
		method   = "This page does not accept that method."
	)
	tests := []struct {
		name       string
		client     *http.Client // nil means s.client, which holds the csrftoken cookie
		method     string
		path       string
		form       url.Values
		wantStatus int
		wantText   string
		wantAllow  string // the Allow header of a 405
		chunked    bool   // send the body without a length
	}{
		{name: "non-numeric id", method: http.MethodGet, path: "/polls/abc/", wantStatus: 404, wantText: notFound},
		{name: "unknown id", method: http.MethodGet, path: "/polls/12345/results/", wantStatus: 404, wantText: notFound},
		{name: "unknown page", method: http.MethodGet, path: "/polls/1/edit/", wantStatus: 404, wantText: notFound},
		{name: "vote without CSRF token", method: http.MethodPost, path: "/polls/1/vote/",
			form: url.Values{"choice": {"10"}}, wantStatus: 403, wantText: expired},
		{name: "vote with wrong CSRF token", method: http.MethodPost, path: "/polls/1/vote/",
			form: url.Values{"choice": {"10"}, "csrfmiddlewaretoken": {strings.Repeat("x", 43)}}, wantStatus: 403, wantText: expired},
		{name: "vote with another site's CSRF token", method: http.MethodPost, path: "/polls/1/vote/",
			form: url.Values{"choice": {"10"}, "csrfmiddlewaretoken": {otherToken}}, wantStatus: 403, wantText: expired},
		{name: "vote without CSRF cookie", client: srv.Client(t), method: http.MethodPost, path: "/polls/1/vote/",
			form: url.Values{"choice": {"10"}, "csrfmiddlewaretoken": {token}}, wantStatus: 403, wantText: expired},
		{name: "vote over the body limit", method: http.MethodPost, path: "/polls/1/vote/",
			form:       url.Values{"choice": {"10"}, "csrfmiddlewaretoken": {token}, "padding": {strings.Repeat("x", 2<<20)}},
			wantStatus: 413, wantText: tooLarge},
		{name: "chunked vote over the body limit", chunked: true, method: http.MethodPost, path: "/polls/1/vote/",
			form:       url.Values{"choice": {"10"}, "csrfmiddlewaretoken": {token}, "padding": {strings.Repeat("x", 2<<20)}},
			wantStatus: 413, wantText: tooLarge},
		{name: "GET on the vote URL", method: http.MethodGet, path: "/polls/1/vote/",
			wantStatus: 405, wantText: method, wantAllow: "POST"},
		{name: "POST on the index", method: http.MethodPost, path: "/polls/",
			form: url.Values{"csrfmiddlewaretoken": {token}}, wantStatus: 405, wantText: method, wantAllow: "GET, HEAD"},
		{name: "POST on the index without CSRF token", client: srv.Client(t), method: http.MethodPost, path: "/polls/",
			form: url.Values{}, wantStatus: 405, wantText: method, wantAllow: "GET, HEAD"},
		{name: "PUT on the detail page", method: http.MethodPut, path: "/polls/1/",
			form: url.Values{"csrfmiddlewaretoken": {token}}, wantStatus: 405, wantText: method, wantAllow: "GET, HEAD"},
		{name: "DELETE on the results", method: http.MethodDelete, path: "/polls/1/results/",
			wantStatus: 405, wantText: method, wantAllow: "GET, HEAD"},
		{name: "POST on the root", method: http.MethodPost, path: "/",
			form: url.Values{"csrfmiddlewaretoken": {token}}, wantStatus: 405, wantText: method, wantAllow: "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.client
			if c == nil {
				c = s.client
			}
			req := apptest.NewRequest(t, tt.method, s.Domain, tt.path, tt.form)
			if tt.chunked {
				req.ContentLength = -1 // the length unsaid: chunked encoding
			}
			resp, body := apptest.Do(t, c, req)
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("%s %s: got status %d, want %d", tt.method, tt.path, resp.StatusCode, tt.wantStatus)
			}
			if got := resp.Header.Get("Allow"); got != tt.wantAllow {
				t.Errorf("%s %s: got Allow %q, want %q", tt.method, tt.path, got, tt.wantAllow)
			}
			if got := visible(body); !strings.Contains(got, tt.wantText) {
				t.Errorf("%s %s: got page %q, want it to say %q", tt.method, tt.path, got, tt.wantText)
			}
		})
	}

	if got, want := s.results(t, 1), []string{"Not much -- 0 votes"}; !slices.Equal(got, want) {
		t.Errorf("results after bad votes: got %q, want %q", got, want)
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "level=ERROR") || strings.Contains(line, "goroutine ") || strings.Contains(line, "panic") {
			t.Errorf("got log line %q, want no errors logged", line)
		}
	}
}
