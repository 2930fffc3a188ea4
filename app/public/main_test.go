package public_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
	"polls/app/config"
)

func TestMain(m *testing.M) { apptest.Main(m) }

// mainHost is the main domain as the tests reach it: config.yaml's default
// tenancy.main_domain, with a port as a browser would send it.
const mainHost = "localhost:8080"

// newSignupServer starts the application with no sign-up rate limit (the
// tests sign up many times from one address), changed further by more.
func newSignupServer(t *testing.T, more ...func(*config.Config)) *apptest.Server {
	t.Helper()
	return apptest.NewServerWith(t, apptest.Options{Config: func(c *config.Config) {
		c.Tenancy.SignupRate = 0
		for _, f := range more {
			f(c)
		}
	}})
}

// newSubdomain returns a fresh subdomain, and drops whatever a sign-up for
// it made once the test ends.
func newSubdomain(t *testing.T) string {
	t.Helper()
	sub := "s" + apptest.RandomName(9)
	dropAfter(t, strings.ReplaceAll(sub, "-", "_"))
	return sub
}

func dropAfter(t *testing.T, schema string) {
	t.Cleanup(func() {
		db := apptest.DB(t).SQL
		ctx := context.Background()
		_, _ = db.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
		_, _ = db.ExecContext(ctx, "DELETE FROM public.tenants WHERE schema_name = $1", schema)
		apptest.DropRole(t, db, apptest.Roles(t).For(schema))
	})
}

// validForm is a sign-up that passes every rule, for subdomain sub.
func validForm(sub string) url.Values {
	return url.Values{
		"site_name": {"Acme " + sub}, "subdomain": {sub}, "username": {"owner"},
		"email": {"owner@example.com"}, "password1": {"violet-harbour-42"}, "password2": {"violet-harbour-42"},
	}
}

// postSignup posts form to the main domain's sign-up with the client's CSRF
// token (taken from the landing page).
func postSignup(t *testing.T, c *http.Client, form url.Values) (*http.Response, string) {
	t.Helper()
	f := url.Values{"csrfmiddlewaretoken": {apptest.CSRF(t, c, mainHost, "/")}}
	for k, v := range form {
		f[k] = v
	}
	return apptest.Post(t, c, mainHost, "/signup/", f)
}

// created counts what a sign-up for sub left behind: registry rows for its
// schema or domain, and schemas of its name.
func created(t *testing.T, sub string) (rows, schemas int) {
	t.Helper()
	db := apptest.DB(t).SQL
	schema := strings.ReplaceAll(sub, "-", "_")
	if err := db.QueryRow(`SELECT count(*) FROM public.tenants t LEFT JOIN public.domains d ON d.tenant_id = t.id
		WHERE t.schema_name = $1 OR d.domain = $2`, schema, sub+".localhost").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM pg_namespace WHERE nspname = $1`, schema).Scan(&schemas); err != nil {
		t.Fatal(err)
	}
	return rows, schemas
}
