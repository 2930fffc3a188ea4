package djangoimport_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
)

// djangoPackages are the Debian packages the Django database is built with:
// Django itself, its PostgreSQL driver, and the libraries of its argon2 and
// bcrypt hashers.
var djangoPackages = []string{"python3-django", "python3-psycopg2", "python3-argon2", "python3-bcrypt"}

// djangoPython returns a Python that has Django and what it needs, installing
// Debian's packages when they are missing and the test runs as root with
// apt-get; otherwise the test fails saying what to install.
func djangoPython(t *testing.T) string {
	t.Helper()
	check := func(python string) bool {
		return exec.Command(python, "-c", "import django, psycopg2, argon2, bcrypt").Run() == nil
	}
	// Debian's packages go to its own Python, which a python3 earlier on
	// PATH (pyenv, a virtualenv) does not see.
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if check(p) {
			return p
		}
	}
	if _, err := exec.LookPath("apt-get"); err == nil && os.Geteuid() == 0 {
		// Once installed, the check above finds them: the next test installs nothing.
		t.Logf("installing %s", strings.Join(djangoPackages, " "))
		cmd := exec.Command("sh", "-c", "apt-get update -qq && apt-get install -y -qq "+strings.Join(djangoPackages, " "))
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Logf("apt-get: %v\n%s", err, out)
		}
		if check("/usr/bin/python3") {
			return "/usr/bin/python3"
		}
	}
	t.Fatalf("these tests build a real Django database and need Django: apt-get install -y %s", strings.Join(djangoPackages, " "))
	return ""
}

// djangoSite is a Django database made by the tutorial's mysite
// (testdata/djangosite) with one flavor of schema-per-tenant.
type djangoSite struct {
	python string
	flavor string // "tenant-schemas" or "tenants"
	URL    string // the Django database
}

// newDjangoSite creates an empty database for a Django site on the test
// server, dropped after the test, and migrates its public schema.
func newDjangoSite(t *testing.T, flavor string) *djangoSite {
	t.Helper()
	python := djangoPython(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, apptest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := "django_" + apptest.RandomName(8)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), apptest.URL(t))
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(apptest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	s := &djangoSite{python: python, flavor: flavor, URL: u.String()}
	s.manage(t, "public", nil, "migrate", "-v0")
	return s
}

// manage runs the site's manage.py in schema (its connection's search_path),
// with input as JSON on its standard input when not nil.
func (s *djangoSite) manage(t *testing.T, schema string, input any, args ...string) {
	t.Helper()
	cmd := exec.Command(s.python, append([]string{"-B", "manage.py"}, args...)...)
	cmd.Dir = filepath.Join("testdata", "djangosite")
	cmd.Env = append(os.Environ(), "DJANGO_DATABASE_URL="+s.URL, "DJANGO_SCHEMA="+schema, "DJANGO_FLAVOR="+s.flavor)
	if input != nil {
		b, err := json.Marshal(input)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdin = bytes.NewReader(b)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("manage.py %s in schema %s: %v\n%s", strings.Join(args, " "), schema, err, out)
	}
}

// addTenant does what saving a tenant does in django-tenant-schemas and
// django-tenants: its row in public, its schema, and every migration run in
// it; then fills it with seed's input.
func (s *djangoSite) addTenant(t *testing.T, c client, content tenantContent) {
	t.Helper()
	s.manage(t, "public", map[string]any{"clients": []client{c}}, "seed")
	s.exec(t, "CREATE SCHEMA "+pgx.Identifier{c.Schema}.Sanitize())
	s.manage(t, c.Schema, nil, "migrate", "-v0")
	s.manage(t, c.Schema, content, "seed")
}

// exec runs SQL on the Django database, as someone editing it by hand.
func (s *djangoSite) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// scan runs one query on the Django database.
func (s *djangoSite) scan(t *testing.T, sql string, dest ...any) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, sql).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// client is a row of the tenant model, as seed takes it.
type client struct {
	Schema    string   `json:"schema"`
	Name      string   `json:"name"`
	PaidUntil string   `json:"paid_until"`
	OnTrial   bool     `json:"on_trial"`
	Domains   []string `json:"domains"`
}

// tenantContent is what seed puts in a tenant's schema.
type tenantContent struct {
	Superuser *djangoUser  `json:"superuser,omitempty"`
	Users     []djangoUser `json:"users,omitempty"`
	Questions []question   `json:"questions,omitempty"`
	Sessions  int          `json:"sessions,omitempty"`
}

type djangoUser struct {
	Username  string `json:"username"`
	Email     string `json:"email"`
	Password  string `json:"password"`
	Hasher    string `json:"hasher,omitempty"` // Django's default when empty
	FirstName string `json:"first_name,omitempty"`
	Staff     bool   `json:"staff,omitempty"`
	Unusable  bool   `json:"unusable,omitempty"`
}

type question struct {
	Text    string  `json:"text"`
	DaysAgo int     `json:"days_ago"`
	Choices [][]any `json:"choices"` // [text, votes]
}
