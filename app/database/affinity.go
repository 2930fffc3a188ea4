package database

import (
	"context"
	"database/sql"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// Affinity hands tenant transactions their connections from the one pool
// (database/sql's), preferring a connection that last served the same key,
// the tenant's schema (database.affinity). PostgreSQL keeps a prepared
// statement's plan per connection and plans it again whenever the
// search_path differs from the one it was planned under; a tenant that gets
// its own connection back skips that.
//
// database/sql chooses which idle connection a caller gets, so Affinity
// keeps the connections given back to it ("parked": still checked out of
// database/sql) instead of returning them. Its rules:
//   - the pool's limit holds: every connection comes from SQL, whose
//     SetMaxOpenConns bounds them all;
//   - Take returns the connection its key parked last; failing that the
//     parked connection the key ranks first among those parked (a spill: an
//     idle connection is never left unused while a tenant waits; see home);
//     failing that one from SQL (idle there, or new);
//   - Put parks nothing while a Take waits in SQL, nor when every connection
//     SQL may open is Affinity's (its other users, the registry and the
//     commands, would find none): the connection goes back to SQL instead;
//   - a connection parked for ParkLimit goes back to SQL, which checks it is
//     alive before handing it out again (pgx pings one idle that long);
//   - every connection going back to SQL is settled first (Settle): it may
//     owe a read-only transaction's COMMIT (behind.go);
//   - nothing is reserved for a tenant: what one tenant may hold at once is
//     still bounded by its share (tenant.Shares), before Take is called.
type Affinity struct {
	db   *sql.DB
	keep time.Duration // how long a connection stays parked

	mu      sync.Mutex
	parked  []parkedConn // oldest first
	held    int          // taken from db and not given back: in use or parked
	waiting int          // Takes waiting in db for a connection
	timer   *time.Timer  // gives back what was parked too long; nil when not armed
	closed  bool
	stats   AffinityStats
}

// parkedConn is an idle connection, the key it last served, and its
// connection's Ahead.ID (what a spill ranks it by).
type parkedConn struct {
	conn  *sql.Conn
	key   string
	id    uint64
	since time.Time
}

// AffinityStats counts where Take found its connections.
type AffinityStats struct {
	Hits   int64 // a connection its key had used last
	Spills int64 // a parked connection of another key
	Fresh  int64 // from the pool: idle there, or newly opened
}

// ParkLimit is how long OpenWith's Affinity keeps a connection parked. pgx
// checks a connection idle for over a second with a ping before database/sql
// hands it out; a parked connection skips that check, so it is never parked
// for longer.
const ParkLimit = time.Second

// NewAffinity returns an Affinity taking its connections from db and keeping
// them parked for at most keep (ParkLimit, but for tests).
func NewAffinity(db *sql.DB, keep time.Duration) *Affinity { return &Affinity{db: db, keep: keep} }

// Take returns a connection for key, within ctx; Put (or, for a broken
// connection, Discard) gives it back.
func (a *Affinity) Take(ctx context.Context, key string) (*sql.Conn, error) {
	a.mu.Lock()
	if c := a.takeParked(key); c != nil {
		a.mu.Unlock()
		return c, nil
	}
	a.waiting++
	a.mu.Unlock()
	c, err := a.db.Conn(ctx)
	a.mu.Lock()
	a.waiting--
	if err == nil {
		a.held++
		a.stats.Fresh++
	}
	a.mu.Unlock()
	return c, err
}

// takeParked removes and returns key's most recently parked connection,
// else the parked connection key ranks first (home), else nil; a.mu is held.
func (a *Affinity) takeParked(key string) *sql.Conn {
	if len(a.parked) == 0 {
		return nil
	}
	i := len(a.parked) - 1
	for ; i >= 0 && a.parked[i].key != key; i-- {
	}
	if i >= 0 {
		a.stats.Hits++
	} else {
		i = a.home(key)
		a.stats.Spills++
	}
	c := a.parked[i].conn
	a.parked = slices.Delete(a.parked, i, i+1)
	return c
}

// home returns the index of the parked connection that key ranks first.
//
// Every key ranks every connection in an order of its own, fixed for the
// connection's life (rendezvous hashing of the key and Ahead.ID), and a spill
// takes the first of that order among those parked. So with many tenants
// each keeps to a few connections of the pool rather than visiting them all:
// a PostgreSQL backend builds its catalog caches (the tables, indexes and
// role of each schema it meets) once per schema and keeps them, so 1,000
// busy tenants over 20 connections that each meet them all cost 20,000 such
// builds and as many caches held, where a few connections each cost a few
// thousand. Taking the connection parked longest instead (as database/sql's
// choice would) sends every tenant to every backend in turn.
func (a *Affinity) home(key string) int {
	h := keyHash(key)
	best, bestScore := 0, uint64(0)
	for i := range a.parked {
		if s := mix64(h ^ a.parked[i].id); i == 0 || s > bestScore {
			best, bestScore = i, s
		}
	}
	return best
}

// keyHash is the 64-bit FNV-1a hash of key.
func keyHash(key string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= 1099511628211
	}
	return h
}

// mix64 scrambles x so that nearby inputs give unrelated outputs (the
// finaliser of SplitMix64).
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Put gives back a connection that served key and whose transaction ended
// (COMMIT or ROLLBACK answered, or nothing sent): parked for key, or
// returned to the pool (see Affinity). As with database/sql, the caller
// vouches for that; a connection in any other state goes to Discard.
func (a *Affinity) Put(c *sql.Conn, key string) {
	limit := a.db.Stats().MaxOpenConnections // 0: unlimited
	var id uint64
	_ = c.Raw(func(dc any) error {
		if ah := AheadOf(dc); ah != nil {
			id = ah.id
		}
		return nil
	})
	a.mu.Lock()
	if a.closed || a.waiting > 0 || (limit > 0 && a.held >= limit) {
		a.mu.Unlock()
		a.giveBack(c)
		return
	}
	a.parked = append(a.parked, parkedConn{conn: c, key: key, id: id, since: time.Now()})
	if a.timer == nil {
		a.timer = time.AfterFunc(a.keep, a.expire)
	}
	a.mu.Unlock()
}

// Discard closes a connection whose state is unknown, so that the pool drops
// it and opens another when needed.
func (a *Affinity) Discard(c *sql.Conn) {
	_ = c.Raw(func(dc any) error {
		if sc, ok := dc.(*stdlib.Conn); ok {
			_ = sc.Close()
		}
		return nil
	})
	a.mu.Lock()
	a.held--
	a.mu.Unlock()
	c.Close()
}

// expire gives back what has been parked for a.keep, and arms itself again
// for the rest.
func (a *Affinity) expire() {
	now := time.Now()
	a.mu.Lock()
	n := 0
	for n < len(a.parked) && now.Sub(a.parked[n].since) >= a.keep {
		n++
	}
	old := slices.Clone(a.parked[:n])
	a.parked = slices.Delete(a.parked, 0, n)
	a.timer = nil
	if len(a.parked) > 0 && !a.closed {
		a.timer = time.AfterFunc(a.keep-now.Sub(a.parked[0].since), a.expire)
	}
	a.mu.Unlock()
	for _, p := range old {
		a.giveBack(p.conn)
	}
}

// giveBack returns a connection taken from SQL to it, settled (Settle);
// one that cannot be settled is discarded.
func (a *Affinity) giveBack(c *sql.Conn) {
	if !Settle(context.Background(), c) {
		a.Discard(c)
		return
	}
	a.mu.Lock()
	a.held--
	a.mu.Unlock()
	c.Close()
}

// Stats reports where Take found its connections so far, and how many are
// parked now.
func (a *Affinity) Stats() (s AffinityStats, parked int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stats, len(a.parked)
}

// Close gives every parked connection back to the pool; connections in use
// go back when they are Put. Call it before closing the pool.
func (a *Affinity) Close() {
	a.mu.Lock()
	a.closed = true
	if a.timer != nil {
		a.timer.Stop()
		a.timer = nil
	}
	old := a.parked
	a.parked = nil
	a.mu.Unlock()
	for _, p := range old {
		a.giveBack(p.conn)
	}
}
