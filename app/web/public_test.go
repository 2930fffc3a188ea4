package web_test

import (
	"net/http"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/config"
)

// The main domain (tenancy.main_domain, localhost by default) is the public
// site on any port and as www.; every other host is still a tenant's or
// unknown.
func TestMainDomainServesThePublicSite(t *testing.T) {
	srv := apptest.NewServer(t)
	tn := apptest.NewTenant(t)
	client := srv.Client(t)
	for _, host := range []string{"localhost", "LOCALHOST:8080", "www.localhost"} {
		status, body := apptest.Get(t, client, host, "/")
		if status != http.StatusOK || !strings.Contains(body, "Polls for every team") {
			t.Errorf("GET http://%s/: got %d, want the landing page:\n%s", host, status, body)
		}
	}
	if status, _ := apptest.Get(t, client, "localhost", "/polls/"); status != http.StatusNotFound {
		t.Errorf("the main domain has no polls pages: GET /polls/ got %d, want 404", status)
	}
	if status, body := apptest.Get(t, client, tn.Domain, "/polls/"); status != http.StatusOK || strings.Contains(body, "Polls for every team") {
		t.Errorf("a tenant's host: got %d, want its own polls page:\n%s", status, body)
	}
	if status, _ := apptest.Get(t, client, "nobody.localhost", "/"); status != http.StatusNotFound {
		t.Errorf("an unknown subdomain of the main domain: got %d, want 404", status)
	}
}

// With no main domain set, that host is unknown like any other.
func TestNoMainDomainNoPublicSite(t *testing.T) {
	srv := apptest.NewServerWith(t, apptest.Options{Config: func(c *config.Config) { c.Tenancy.MainDomain = "" }})
	if status, _ := apptest.Get(t, srv.Client(t), "localhost", "/"); status != http.StatusNotFound {
		t.Errorf("GET http://localhost/ with tenancy.main_domain empty: got %d, want 404", status)
	}
}

// With tenancy.unknown_host: redirect, an unknown subdomain of the main
// domain goes to the landing page (same port); any other unknown host is
// still a 404, and a tenant's own host is served as ever.
func TestUnknownSubdomainRedirectsToTheLandingPage(t *testing.T) {
	srv := apptest.NewServerWith(t, apptest.Options{Config: func(c *config.Config) { c.Tenancy.UnknownHost = config.UnknownHostRedirect }})
	tn := apptest.NewTenant(t)
	client := srv.Client(t)
	for host, want := range map[string]string{
		"nobody.localhost:8080":     "http://localhost:8080/",
		"www.nobody.localhost":      "http://localhost/",
		"deep.nobody.localhost:123": "http://localhost:123/",
	} {
		resp, _ := apptest.Do(t, client, apptest.NewRequest(t, http.MethodGet, host, "/polls/", nil))
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != want {
			t.Errorf("GET http://%s/polls/: got %d to %q, want 302 to %s", host, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	for _, host := range []string{"nobody.example.com", "notlocalhost", "localhost.evil.test"} {
		if status, _ := apptest.Get(t, client, host, "/"); status != http.StatusNotFound {
			t.Errorf("GET http://%s/ (not under the main domain): got %d, want 404", host, status)
		}
	}
	if status, _ := apptest.Get(t, client, tn.Domain, "/polls/"); status != http.StatusOK {
		t.Errorf("a tenant's host: got %d, want 200", status)
	}
}
