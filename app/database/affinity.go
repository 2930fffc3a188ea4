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
// the tenant's schema, or else one of the key's own (database.affinity).
// PostgreSQL keeps a prepared statement's plan per connection and plans it
// again whenever the search_path differs from the one it was planned under,
// and each backend builds its catalog caches once per schema it meets: a
// tenant that keeps to a few connections skips both (affinity_rank.go).
//
// database/sql chooses which idle connection a caller gets, and which waiting
// caller gets a connection given back, so Affinity keeps the connections
// given back to it ("parked": still checked out of database/sql) and queues
// the Takes that find none. Its rules:
//   - the pool's limit holds: every connection comes from SQL, whose
//     SetMaxOpenConns bounds them all;
//   - Take returns the connection its key parked last; failing that the
//     parked connection the key ranks first (a spill: an idle connection is
//     never left unused while a tenant waits); failing that one from SQL
//     (idle there, or new) while Affinity holds fewer than the limit;
//     failing that it waits in Affinity's queue;
//   - Put gives the connection back to SQL when a caller waits there (the
//     pool's other users, the registry and the commands; SQL's WaitCount
//     tells); else hands it to a queued Take: one of the same key, else one
//     that counts it among its own (home), else the oldest, no Take passed
//     over more than maxPassed times; else parks it. Giving back costs a
//     round trip when the connection owes a COMMIT (Settle), so it happens
//     only when someone needs it;
//   - a connection parked for ParkLimit goes back to SQL, which checks it is
//     alive before handing it out again (pgx pings one idle that long);
//   - every connection going back to SQL is settled first (Settle): it may
//     owe a read-only transaction's COMMIT (behind.go); and the oldest queued
//     Take is woken to take it from there;
//   - nothing is reserved for a tenant: what one tenant may hold at once is
//     still bounded by its share (tenant.Shares), before Take is called.
type Affinity struct {
	db   *sql.DB
	keep time.Duration // how long a connection stays parked

	mu      sync.Mutex
	parked  []parkedConn         // oldest first
	queue   []*waiter            // Takes waiting for a connection Affinity holds, oldest first
	ids     map[*sql.Conn]uint64 // every connection held, by its Ahead's id
	held    int                  // taken from db and not given back: in use or parked
	waiting int                  // Takes waiting in db for a connection
	// sqlWaits is db's WaitCount when last read; owed counts the waits in
	// SQL since, each answered by giving a connection back.
	sqlWaits, owed int64
	timer          *time.Timer // gives back what was parked too long; nil when not armed
	closed         bool
	stats          AffinityStats
}

// parkedConn is an idle connection, the key it last served, and its id.
type parkedConn struct {
	conn  *sql.Conn
	key   string
	id    uint64
	since time.Time
}

// waiter is a queued Take.
type waiter struct {
	key    string
	homes  [2]uint64 // the connections key ranks first when it began waiting
	passed int       // connections handed to younger waiters since
	got    chan handoff
}

// handoff is what a queued Take receives: a connection and the key it last
// served, or no connection: one went back to SQL, take it from there.
type handoff struct {
	conn *sql.Conn
	key  string
}

// AffinityStats counts where Take found its connections.
type AffinityStats struct {
	Hits   int64 // a parked connection its key had used last
	Spills int64 // a parked connection of another key
	Fresh  int64 // from the pool: idle there, or newly opened
	// Handoffs are connections Put gave straight to a queued Take; Home
	// those of them of the same key or one of the key's own.
	Handoffs, Home int64
}

// ParkLimit is how long OpenWith's Affinity keeps a connection parked. pgx
// checks a connection idle for over a second with a ping before database/sql
// hands it out; a parked connection skips that check, so it is never parked
// for longer.
const ParkLimit = time.Second

// NewAffinity returns an Affinity taking its connections from db and keeping
// them parked for at most keep (ParkLimit, but for tests).
func NewAffinity(db *sql.DB, keep time.Duration) *Affinity {
	return &Affinity{db: db, keep: keep, ids: map[*sql.Conn]uint64{}, sqlWaits: db.Stats().WaitCount}
}

// Take returns a connection for key, within ctx; Put (or, for a broken
// connection, Discard) gives it back.
func (a *Affinity) Take(ctx context.Context, key string) (*sql.Conn, error) {
	a.mu.Lock()
	for {
		if c := a.takeParked(key); c != nil {
			a.mu.Unlock()
			return c, nil
		}
		if a.closed || !a.full() {
			break
		}
		w := &waiter{key: key, homes: a.homesOf(key), got: make(chan handoff, 1)}
		a.queue = append(a.queue, w)
		a.mu.Unlock()
		h, err := a.await(ctx, w)
		if err != nil {
			return nil, err
		}
		if h.conn != nil {
			return h.conn, nil
		}
		a.mu.Lock() // a connection went back to SQL: look again
	}
	a.waiting++
	a.mu.Unlock()
	c, err := a.db.Conn(ctx)
	var id uint64
	if err == nil {
		id = connID(c)
	}
	a.mu.Lock()
	a.waiting--
	if err == nil {
		a.held++
		a.ids[c] = id
		a.stats.Fresh++
	}
	a.mu.Unlock()
	return c, err
}

// full reports whether every connection SQL may open is Affinity's, or on
// its way to a Take; a.mu is held.
func (a *Affinity) full() bool {
	limit := a.db.Stats().MaxOpenConnections // 0: unlimited
	return limit > 0 && a.held+a.waiting >= limit
}

// await waits for w's handoff, or for ctx to end: then w leaves the queue,
// and what was handed to it meanwhile goes to the next.
func (a *Affinity) await(ctx context.Context, w *waiter) (handoff, error) {
	select {
	case h := <-w.got:
		return h, nil
	case <-ctx.Done():
	}
	a.mu.Lock()
	if i := slices.Index(a.queue, w); i >= 0 {
		a.queue = slices.Delete(a.queue, i, i+1)
		a.mu.Unlock()
		return handoff{}, ctx.Err()
	}
	a.mu.Unlock()
	// Taken off the queue by a handoff: it is in w.got, or about to be.
	if h := <-w.got; h.conn != nil {
		a.Put(h.conn, h.key)
	} else {
		a.wakeOne()
	}
	return handoff{}, ctx.Err()
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

// Put gives back a connection that served key and whose transaction ended
// (COMMIT or ROLLBACK answered, or nothing sent): handed to a queued Take,
// parked for key, or returned to the pool (see Affinity). As with
// database/sql, the caller vouches for that; a connection in any other state
// goes to Discard.
func (a *Affinity) Put(c *sql.Conn, key string) {
	a.mu.Lock()
	if a.closed || a.othersWait() {
		a.mu.Unlock()
		a.giveBack(c)
		return
	}
	id := a.ids[c]
	if len(a.queue) > 0 {
		w := a.choose(id, key)
		a.mu.Unlock()
		w.got <- handoff{conn: c, key: key}
		return
	}
	a.parked = append(a.parked, parkedConn{conn: c, key: key, id: id, since: time.Now()})
	if a.timer == nil {
		a.timer = time.AfterFunc(a.keep, a.expire)
	}
	a.mu.Unlock()
}

// othersWait reports whether a caller waits in SQL for a connection (the
// pool's other users, or a Take that went there), counting each wait SQL
// reports once; a.mu is held.
func (a *Affinity) othersWait() bool {
	n := a.db.Stats().WaitCount
	a.owed += n - a.sqlWaits
	a.sqlWaits = n
	if a.owed > 0 {
		a.owed--
		return true
	}
	return false
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
	a.forget(c)
	c.Close()
	a.wakeOne()
}

// forget stops counting c as held.
func (a *Affinity) forget(c *sql.Conn) {
	a.mu.Lock()
	a.held--
	delete(a.ids, c)
	a.mu.Unlock()
}

// wakeOne tells the oldest queued Take that a connection went back to SQL.
func (a *Affinity) wakeOne() {
	a.mu.Lock()
	if len(a.queue) == 0 || (a.full() && !a.closed) {
		a.mu.Unlock()
		return
	}
	w := a.queue[0]
	a.queue = slices.Delete(a.queue, 0, 1)
	a.mu.Unlock()
	w.got <- handoff{}
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
	a.forget(c)
	c.Close()
	a.wakeOne()
}

// Stats reports where Take found its connections so far, and how many are
// parked now.
func (a *Affinity) Stats() (s AffinityStats, parked int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stats, len(a.parked)
}

// Queued reports how many Takes wait in Affinity's queue now.
func (a *Affinity) Queued() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.queue)
}

// Close gives every parked connection back to the pool and sends queued
// Takes there; connections in use go back when they are Put. Call it before
// closing the pool.
func (a *Affinity) Close() {
	a.mu.Lock()
	a.closed = true
	if a.timer != nil {
		a.timer.Stop()
		a.timer = nil
	}
	old, queued := a.parked, a.queue
	a.parked, a.queue = nil, nil
	a.mu.Unlock()
	for _, p := range old {
		a.giveBack(p.conn)
	}
	for _, w := range queued {
		w.got <- handoff{}
	}
}
