package apptest

import (
	"bytes"
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"polls/app/database"
)

// CountedDB opens a pool of two connections to the test database (one
// serves a test that sends one thing at a time), set up as database.Open does, whose writes to PostgreSQL are counted: each write is
// the request half of one round trip. The pool's liveness check on a
// connection idle for over a second (pgx sends "-- ping") is not counted.
func CountedDB(t testing.TB) (*database.DB, *atomic.Int64) {
	t.Helper()
	return CountedDBWith(t, PoolOptions(2))
}

// CountedDBWith is CountedDB with the pool options o (its size aside), for
// tests that compare database.pipeline_scope's two positions.
func CountedDBWith(t testing.TB, o database.Options) (*database.DB, *atomic.Int64) {
	t.Helper()
	cfg, err := database.ParseConfig(URL(t))
	if err != nil {
		t.Fatal(err)
	}
	writes := new(atomic.Int64)
	var d net.Dialer
	cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		return countingConn{c, writes}, err
	}
	o.MaxConns = 2
	// An owed COMMIT (database.commit_behind) waits for the next write
	// instead of being sent alone after 2 ms, so that counts do not depend on
	// timing.
	o.FlushAfter = time.Hour
	db, err := database.OpenConfig(context.Background(), URL(t), cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, writes
}

type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	if !bytes.Contains(p, []byte("-- ping")) {
		c.writes.Add(1)
	}
	return c.Conn.Write(p)
}
