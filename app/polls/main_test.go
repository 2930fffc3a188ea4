package polls_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"polls/app/apptest"
)

func TestMain(m *testing.M) { apptest.Main(m) }

// site is one tenant served by the real application, and a browser for it.
type site struct {
	apptest.Tenant
	client *http.Client
}

// newSites starts the application and creates n tenants on it, each with its
// own cookie-keeping client.
func newSites(t *testing.T, n int) []site {
	t.Helper()
	srv := apptest.NewServer(t)
	sites := make([]site, n)
	for i := range sites {
		sites[i] = site{Tenant: apptest.NewTenant(t), client: srv.Client(t)}
	}
	return sites
}

// newSite is newSites for a single tenant.
func newSite(t *testing.T) site {
	t.Helper()
	return newSites(t, 1)[0]
}

// get fetches a page of the site.
func (s site) get(t *testing.T, path string) (int, string) {
	t.Helper()
	return apptest.Get(t, s.client, s.Domain, path)
}

// vote posts the voting form of question id (a path segment, so that bad ids
// can be tried) with the client's CSRF token and the given fields.
func (s site) vote(t *testing.T, id string, fields url.Values) (*http.Response, string) {
	t.Helper()
	form := url.Values{"csrfmiddlewaretoken": {apptest.CSRF(t, s.client, s.Domain, "/polls/")}}
	for k, v := range fields {
		form[k] = v
	}
	return apptest.Post(t, s.client, s.Domain, "/polls/"+id+"/vote/", form)
}

// results returns the lines of the results page of question id.
func (s site) results(t *testing.T, id int64) []string {
	t.Helper()
	status, body := s.get(t, fmt.Sprintf("/polls/%d/results/", id))
	if status != http.StatusOK {
		t.Fatalf("GET results of question %d: got status %d, want 200", id, status)
	}
	return items(body)
}

// items returns the text of every <li> of a page, as a reader sees it.
func items(body string) []string { return apptest.ListItems(body) }

// visible returns the text of an HTML fragment as a reader sees it.
func visible(fragment string) string { return apptest.Visible(fragment) }
