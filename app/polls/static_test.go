package polls_test

import (
	"net/http"
	"strings"
	"testing"

	"polls/app/apptest"
)

func TestStaticFiles(t *testing.T) {
	s := newSite(t)
	tests := []struct {
		path        string
		contentType string
		contains    []string
	}{
		{"/static/polls/style.css", "text/css; charset=utf-8", []string{
			"li a {\n    color: green;\n}",
			`background: white url("images/background.svg") no-repeat;`,
		}},
		{"/static/polls/images/background.svg", "image/svg+xml", []string{"<svg"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := apptest.Do(t, s.client, apptest.NewRequest(t, http.MethodGet, s.Domain, tt.path, nil))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: got status %d, want 200", tt.path, resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Type"); got != tt.contentType {
				t.Errorf("GET %s: got Content-Type %q, want %q", tt.path, got, tt.contentType)
			}
			if got, want := resp.Header.Get("Cache-Control"), "public, max-age=3600"; got != want {
				t.Errorf("GET %s: got Cache-Control %q, want %q", tt.path, got, want)
			}
			for _, want := range tt.contains {
				if !strings.Contains(body, want) {
					t.Errorf("GET %s: got %s, want it to contain %s", tt.path, body, want)
				}
			}

			etag := resp.Header.Get("ETag")
			if etag == "" {
				t.Fatalf("GET %s: got no ETag, want one", tt.path)
			}
			req := apptest.NewRequest(t, http.MethodGet, s.Domain, tt.path, nil)
			req.Header.Set("If-None-Match", etag)
			resp, _ = apptest.Do(t, s.client, req)
			if resp.StatusCode != http.StatusNotModified {
				t.Errorf("GET %s with If-None-Match: got status %d, want %d", tt.path, resp.StatusCode, http.StatusNotModified)
			}
		})
	}
	for _, path := range []string{"/static/", "/static/polls/", "/static/polls/missing.css", "/static/../go.mod"} {
		if status, _ := s.get(t, path); status != http.StatusNotFound {
			t.Errorf("GET %s: got status %d, want 404", path, status)
		}
	}
}

func TestPagesUseTheStylesheet(t *testing.T) {
	s := newSite(t)
	_, body := s.get(t, "/polls/")
	if want := `<link rel="stylesheet" href="/static/polls/style.css">`; !strings.Contains(body, want) {
		t.Errorf("GET /polls/: got %s, want it to contain %s", body, want)
	}
}
