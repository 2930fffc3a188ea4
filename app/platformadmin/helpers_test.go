package platformadmin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/auth"
	"polls/app/tenant"
)

// mainDomain is tenancy.main_domain's default, which apptest's server uses.
const mainDomain = "localhost"

// operator is a browser on the main domain, logged in as a platform user.
type operator struct {
	srv    *apptest.Server
	client *http.Client
	name   string
}

// addPlatformUser inserts a staff superuser into the platform's own users
// (polls_platform.auth_user) and returns its username, unique to the test.
func addPlatformUser(t *testing.T, password string) string {
	t.Helper()
	name := "op_" + apptest.RandomName(8)
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apptest.DB(t).SQL.Exec(`INSERT INTO polls_platform.auth_user
		(username, password, email, is_staff, is_superuser, is_active) VALUES ($1, $2, '', true, true, true)`, name, hash); err != nil {
		t.Fatal(err)
	}
	return name
}

// addTenantUser inserts a staff superuser into tn's own users.
func addTenantUser(t *testing.T, tn apptest.Tenant, name, password string) {
	t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	tn.Exec(t, `INSERT INTO auth_user (username, password, email, is_staff, is_superuser, is_active)
		VALUES (?, ?, '', true, true, true)`, name, hash)
}

// login posts the admin login form on host and returns the response.
func login(t *testing.T, c *http.Client, host, username, password string) (*http.Response, string) {
	t.Helper()
	return apptest.Post(t, c, host, "/admin/login/", url.Values{
		"csrfmiddlewaretoken": {apptest.CSRF(t, c, host, "/admin/login/")},
		"username":            {username}, "password": {password}, "next": {"/admin/"},
	})
}

// newOperator starts a server and logs a new platform user in on it.
func newOperator(t *testing.T) *operator {
	t.Helper()
	srv := apptest.NewServer(t)
	const pw = "platform pass 4821"
	op := &operator{srv: srv, client: srv.Client(t), name: addPlatformUser(t, pw)}
	if resp, _ := login(t, op.client, mainDomain, op.name, pw); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("platform login: got %d, want 303", resp.StatusCode)
	}
	return op
}

// get fetches a page of the main domain.
func (op *operator) get(t *testing.T, path string) (int, string) {
	t.Helper()
	return apptest.Get(t, op.client, mainDomain, path)
}

// getOK fetches a page that must answer 200.
func (op *operator) getOK(t *testing.T, path string) string {
	t.Helper()
	status, body := op.get(t, path)
	if status != http.StatusOK {
		t.Fatalf("GET %s: got %d, want 200:\n%s", path, status, body)
	}
	return body
}

// post posts a form with the browser's CSRF token.
func (op *operator) post(t *testing.T, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	f := url.Values{"csrfmiddlewaretoken": {apptest.CSRF(t, op.client, mainDomain, "/admin/login/")}}
	for k, v := range form {
		f[k] = v
	}
	return apptest.Post(t, op.client, mainDomain, path, f)
}

// act posts an action's form, which must redirect to the tenant's page,
// and returns that page with the action's message.
func (op *operator) act(t *testing.T, tn apptest.Tenant, action string, form url.Values) string {
	t.Helper()
	resp, body := op.post(t, "/admin/tenants/"+tn.Schema+"/"+action, form)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/tenants/"+tn.Schema+"/" {
		t.Fatalf("POST %s: got %d to %q, want 303 to the tenant's page:\n%s", action, resp.StatusCode, resp.Header.Get("Location"), body)
	}
	return op.getOK(t, "/admin/tenants/"+tn.Schema+"/")
}

// awaitServers waits until every running server (the test's, with its
// resolver listening) has applied every registry change made so far: it
// waits on the servers' acknowledgement of the resolver's notification,
// not on a clock.
func awaitServers(t *testing.T) {
	t.Helper()
	db := apptest.DB(t).SQL
	var version int64
	if err := db.QueryRow(`SELECT version FROM public.registry_version`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if err := tenant.AwaitRouted(context.Background(), db, version, 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

// status fetches host+path with a fresh browser and returns its status.
func status(t *testing.T, srv *apptest.Server, host, path string) int {
	t.Helper()
	code, _ := apptest.Get(t, srv.Client(t), host, path)
	return code
}

// wantContains fails unless body holds every fragment.
func wantContains(t *testing.T, what, body string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(body, f) {
			t.Errorf("%s: got no %q in:\n%s", what, f, body)
		}
	}
}
