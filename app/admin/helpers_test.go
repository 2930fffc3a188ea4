package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/auth"
)

// site is one tenant served by the real application, and a browser for it.
type site struct {
	apptest.Tenant
	srv    *apptest.Server
	client *http.Client
}

// newSites starts the application with n tenants, each with its own browser.
func newSites(t *testing.T, n int) []site {
	t.Helper()
	return newSitesWith(t, n, apptest.Options{})
}

// newSitesWith is newSites on a server built with opts.
func newSitesWith(t *testing.T, n int, opts apptest.Options) []site {
	t.Helper()
	srv := apptest.NewServerWith(t, opts)
	sites := make([]site, n)
	for i := range sites {
		sites[i] = site{Tenant: apptest.NewTenant(t), srv: srv, client: srv.Client(t)}
	}
	return sites
}

func newSite(t *testing.T) site {
	t.Helper()
	return newSites(t, 1)[0]
}

// browser returns another browser (fresh cookies) on the same site.
func (s site) browser(t *testing.T) site {
	t.Helper()
	s.client = s.srv.Client(t)
	return s
}

// user describes a user to insert.
type user struct {
	name, password           string
	staff, superuser, active bool
}

var (
	superuser = user{name: "admin", password: "correct horse battery", staff: true, superuser: true, active: true}
	staffUser = user{name: "editor", password: "staple orange violin", staff: true, active: true}
)

// addUser inserts u into the site's tenant and returns its id.
func (s site) addUser(t *testing.T, u user) int64 {
	t.Helper()
	hash, err := auth.HashPassword(u.password)
	if err != nil {
		t.Fatal(err)
	}
	s.Exec(t, `INSERT INTO auth_user (username, password, email, is_staff, is_superuser, is_active)
		VALUES (?, ?, ?, ?, ?, ?)`, u.name, hash, u.name+"@example.com", u.staff, u.superuser, u.active)
	return s.scalar(t, "SELECT id FROM auth_user WHERE username = ?", u.name)
}

// scalar runs a query returning one number inside the site's schema.
func (s site) scalar(t *testing.T, query string, args ...any) int64 {
	t.Helper()
	var n int64
	s.Scan(t, &n, query, args...)
	return n
}

// text runs a query returning one string inside the site's schema.
func (s site) text(t *testing.T, query string, args ...any) string {
	t.Helper()
	var v string
	s.Scan(t, &v, query, args...)
	return v
}

// wantCount checks that query, run inside the site's schema, counts want
// rows; what names them in the failure, and the test goes on after one.
func (s site) wantCount(t *testing.T, what string, want int64, query string, args ...any) {
	t.Helper()
	if n := s.scalar(t, query, args...); n != want {
		t.Errorf("%s: got %d, want %d", what, n, want)
	}
}

func (s site) get(t *testing.T, path string) (int, string) {
	t.Helper()
	return apptest.Get(t, s.client, s.Domain, path)
}

// getOK fetches a page that must answer 200.
func (s site) getOK(t *testing.T, path string) string {
	t.Helper()
	status, body := s.get(t, path)
	if status != http.StatusOK {
		t.Fatalf("GET %s: got status %d, want 200; body:\n%s", path, status, body)
	}
	return body
}

// post posts a form with the browser's CSRF token.
func (s site) post(t *testing.T, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	return s.postWithHeader(t, path, form, nil)
}

// postWithHeader is post with extra request headers, such as the ones a
// proxy, or someone pretending to be one, adds.
func (s site) postWithHeader(t *testing.T, path string, form url.Values, header http.Header) (*http.Response, string) {
	t.Helper()
	f := url.Values{"csrfmiddlewaretoken": {apptest.CSRF(t, s.client, s.Domain, "/admin/login/")}}
	for k, v := range form {
		f[k] = v
	}
	req := apptest.NewRequest(t, http.MethodPost, s.Domain, path, f)
	for k, v := range header {
		req.Header[k] = v
	}
	return apptest.Do(t, s.client, req)
}

// postRedirect posts a form that must redirect, and returns where to.
func (s site) postRedirect(t *testing.T, path string, form url.Values) string {
	t.Helper()
	resp, body := s.post(t, path, form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: got status %d, want 303; body:\n%s", path, resp.StatusCode, body)
	}
	return resp.Header.Get("Location")
}

// login logs the browser in as u, which must succeed.
func (s site) login(t *testing.T, u user) {
	t.Helper()
	if to := s.postRedirect(t, "/admin/login/", url.Values{"username": {u.name}, "password": {u.password}}); to != "/admin/" {
		t.Fatalf("login as %s: got redirect to %q, want /admin/", u.name, to)
	}
}

// loggedInAs adds u to the site and logs a browser in as them.
func (s site) loggedInAs(t *testing.T, u user) site {
	t.Helper()
	s.addUser(t, u)
	s.login(t, u)
	return s
}

// cookie returns the browser's cookie name for the site, or "".
func (s site) cookie(name string) string {
	u, _ := url.Parse("http://" + s.Domain + "/")
	for _, c := range s.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// setCookie puts a cookie into the browser for the site, as a person copying
// it by hand would.
func (s site) setCookie(name, value string) {
	u, _ := url.Parse("http://" + s.Domain + "/")
	s.client.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

var (
	messageRe  = regexp.MustCompile(`(?s)<ul class="messagelist"><li class="(\w+)">(.*?)</li>`)
	errorRe    = regexp.MustCompile(`(?s)<ul class="errorlist">(.*?)</ul>`)
	errNoteRe  = regexp.MustCompile(`(?s)<p class="errornote">(.*?)</p>`)
	rowRe      = regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`)
	trRe       = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	selectedRe = regexp.MustCompile(`name="_selected_action" value="(\d+)"`)
	cellRe     = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
)

// visible is an HTML fragment's text as a reader sees it.
func visible(fragment string) string { return apptest.Visible(fragment) }

// message returns the page's one-time message, or "".
func message(body string) string {
	m := messageRe.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return visible(m[2])
}

// fieldErrors returns the texts of every error list of a form, in order.
func fieldErrors(body string) []string {
	var out []string
	for _, m := range errorRe.FindAllStringSubmatch(body, -1) {
		out = append(out, visible(m[1]))
	}
	return out
}

// errorNote returns the error line above a form, or "".
func errorNote(body string) string {
	m := errNoteRe.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return visible(m[1])
}

// resultCells returns the cells of each row of a change list (the checkbox
// column left out), as visible text; an empty list has no rows.
func resultCells(body string) [][]string {
	tbody := rowRe.FindStringSubmatch(body)
	if tbody == nil {
		return nil
	}
	var out [][]string
	for _, m := range trRe.FindAllStringSubmatch(tbody[1], -1) {
		if strings.Contains(m[1], `class="empty"`) {
			continue
		}
		var cells []string
		for _, c := range cellRe.FindAllStringSubmatch(m[1], -1) {
			if !strings.Contains(c[0], `class="action-checkbox"`) {
				cells = append(cells, visible(c[1]))
			}
		}
		out = append(out, cells)
	}
	return out
}

// resultRows returns the rows of a change list, each as its visible text.
func resultRows(body string) []string {
	var out []string
	for _, cells := range resultCells(body) {
		out = append(out, strings.Join(cells, " "))
	}
	return out
}
