package apptest

import (
	"context"
	"testing"

	"polls/app/database"
	"polls/app/dbmigrate"
)

// NewDatabase makes another polls database on the test server, with the
// shared migrations applied (the registry, no tenant), dropped after the
// test: a second installation beside the test binary's, for what two
// installations on one server must not do to each other. Roles made in it
// are the test's to drop: they are the server's, not the database's.
func NewDatabase(t testing.TB) *database.DB {
	t.Helper()
	ctx := context.Background()
	url, drop, err := createDatabase(ctx, URL(t), "polls_test_"+RandomName(8))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	if _, err := dbmigrate.Shared(ctx, url); err != nil {
		t.Fatalf("migrate the second database: %v", err)
	}
	db, err := database.Open(ctx, url, 10)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
