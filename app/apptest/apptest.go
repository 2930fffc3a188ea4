// Package apptest gives tests a real PostgreSQL and the production constructors.
// Each test binary gets a database of its own, created in Main and dropped after:
// on the server POLLS_TEST_DATABASE_URL names, or else on a private server
// started from the local PostgreSQL binaries in a temporary directory.
package apptest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"polls/app/database"
	"polls/app/dbmigrate"
	"polls/app/embeddedpg"
	"polls/app/tenant"
)

// suite is the test binary's database. It is set once by Main, before any test
// runs, and only read afterwards.
var suite struct {
	url   string
	db    *database.DB
	roles tenant.Roles
}

// Main runs the package's tests against a fresh database. Call it from TestMain.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	flag.Parse()
	if onlyFuzzing() {
		return m.Run() // fuzz targets touch no database: no server to start per worker
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	adminURL := os.Getenv("POLLS_TEST_DATABASE_URL")
	if adminURL == "" {
		dir, err := os.MkdirTemp("", "polls-test-pg-*")
		if err != nil {
			return fail("make temp dir: %v", err)
		}
		defer os.RemoveAll(dir)
		// The server runs as an unprivileged user when tests run as root: it
		// must be able to enter the directory.
		if err := os.Chmod(dir, 0o755); err != nil {
			return fail("chmod temp dir: %v", err)
		}
		srv, err := embeddedpg.Start(ctx, embeddedpg.Options{DataDir: dir + "/pgdata", Fast: true})
		if err != nil {
			return fail("start test PostgreSQL (or set POLLS_TEST_DATABASE_URL): %v", err)
		}
		defer srv.Stop(context.Background())
		adminURL = srv.URL("postgres")
	}
	name := "polls_test_" + RandomName(8)
	url, drop, err := createDatabase(ctx, adminURL, name)
	if err != nil {
		return fail("%v", err)
	}
	defer drop()
	if _, err := dbmigrate.Shared(ctx, url); err != nil {
		return fail("migrate shared: %v", err)
	}
	db, err := database.OpenWith(ctx, url, PoolOptions(40))
	if err != nil {
		return fail("%v", err)
	}
	defer db.Close()
	roles, err := tenant.ResolveRoles(ctx, db.SQL, "")
	if err != nil {
		return fail("%v", err)
	}
	suite.url, suite.db, suite.roles = url, db, roles
	return m.Run()
}

// onlyFuzzing reports whether this process runs fuzz inputs only: a fuzzing
// worker, or the coordinator when -run matches no test.
func onlyFuzzing() bool {
	value := func(name string) string {
		if f := flag.Lookup(name); f != nil {
			return f.Value.String()
		}
		return ""
	}
	return value("test.fuzzworker") == "true" || (value("test.fuzz") != "" && value("test.run") == "^$")
}

func createDatabase(ctx context.Context, adminURL, name string) (string, func(), error) {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", nil, fmt.Errorf("connect to test server: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", nil, fmt.Errorf("create test database: %w", err)
	}
	cfg, err := pgx.ParseConfig(adminURL)
	if err != nil {
		return "", nil, err
	}
	url := replaceDatabase(adminURL, cfg.Database, name)
	drop := func() {
		c, err := pgx.Connect(context.Background(), adminURL)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	}
	return url, drop, nil
}

// replaceDatabase swaps the database name in a postgres:// URL.
func replaceDatabase(url, old, name string) string {
	head, query, _ := strings.Cut(url, "?")
	if i := strings.LastIndex(head, "/"); i >= len("postgres://") {
		head = head[:i]
	}
	if query != "" {
		return head + "/" + name + "?" + query
	}
	return head + "/" + name
}

func fail(format string, a ...any) int {
	fmt.Fprintf(os.Stderr, "apptest: "+format+"\n", a...)
	return 1
}

// DB returns the test binary's database handle (shared migrations applied).
func DB(t testing.TB) *database.DB {
	t.Helper()
	if suite.db == nil {
		t.Fatal("apptest.DB: call apptest.Main from the package's TestMain")
	}
	return suite.db
}

// URL returns the test database's URL.
func URL(t testing.TB) string {
	t.Helper()
	DB(t)
	return suite.url
}

// Roles names the tenant roles of the test database, as polls derives them
// when tenancy.role_prefix is empty.
func Roles(t testing.TB) tenant.Roles {
	t.Helper()
	DB(t)
	return suite.roles
}

// RandomName returns n random lowercase hex characters, for unique names.
func RandomName(n int) string {
	b := make([]byte, (n+1)/2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)[:n]
}

// NewPool opens another pool of maxConns connections to the test database,
// set up as serve's (database.Open), closed after the test: for tests that
// need serve's pool size, or to exhaust a pool of their own.
func NewPool(t testing.TB, maxConns int) *database.DB {
	t.Helper()
	db, err := database.OpenWith(context.Background(), URL(t), PoolOptions(maxConns))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
