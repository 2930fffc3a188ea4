package tenant_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"polls/app/apptest"
	"polls/app/database"
	"polls/app/tenant"
)

// affinityPool opens a pool of maxConns connections without an Affinity of
// its own, named so that pg_stat_activity tells its backends apart.
func affinityPool(t *testing.T, maxConns int) (*database.DB, string) {
	t.Helper()
	app := "affinity_" + apptest.RandomName(8)
	o := database.Defaults(maxConns)
	o.Affinity = false
	db, err := database.OpenWith(context.Background(), apptest.URL(t)+"&application_name="+app, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, app
}

// affinityRunner runs work on db's pool through aff (nil: affinity off), as
// serve's runner does, with the tenants' roles.
func affinityRunner(db *database.DB, aff *database.Affinity, shares *tenant.Shares) *tenant.Runner {
	return &tenant.Runner{SQL: db.SQL, Gorm: db.Gorm, Timeout: 10 * time.Second, Affinity: aff, Shares: shares}
}

// newAffinity keeps connections parked for a minute, not ParkLimit's
// second: a slow machine must not give one back to the pool between two
// steps of a test. Close gives them back at the end.
func newAffinity(t *testing.T, db *database.DB) *database.Affinity {
	aff := database.NewAffinity(db.SQL, time.Minute)
	t.Cleanup(aff.Close)
	return aff
}

func siteOf(tn apptest.Tenant) tenant.Site { return tenant.Site{Schema: tn.Schema, Role: tn.Role} }

// backend returns the pid of the PostgreSQL backend serving a unit of work
// of site, through its scoped handle.
func backend(t *testing.T, r *tenant.Runner, site tenant.Site) int {
	t.Helper()
	var pid int
	err := r.Run(context.Background(), site, true, func(g *gorm.DB, _ func(context.Context) error) error {
		return g.Raw("SELECT pg_backend_pid()").Scan(&pid).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// held is a unit of work in progress, holding its connection until released.
type held struct {
	pid     int
	pids    chan int // its backend, once it has a connection
	release chan struct{}
	done    chan error
}

// start starts a unit of work of site that takes a connection, reports its
// backend on pids, and keeps it until release is closed.
func start(r *tenant.Runner, site tenant.Site) *held {
	h := &held{pids: make(chan int, 1), release: make(chan struct{}), done: make(chan error, 1)}
	go func() {
		h.done <- r.Run(context.Background(), site, true, func(g *gorm.DB, _ func(context.Context) error) error {
			var pid int
			if err := g.Raw("SELECT pg_backend_pid()").Scan(&pid).Error; err != nil {
				return err
			}
			h.pids <- pid
			<-h.release
			return nil
		})
	}()
	return h
}

// hold starts a unit of work of site and returns once it has its connection.
func hold(t *testing.T, r *tenant.Runner, site tenant.Site) *held {
	t.Helper()
	h := start(r, site)
	h.started(t)
	return h
}

// finish releases the work and waits for its commit.
func (h *held) finish(t *testing.T) {
	t.Helper()
	close(h.release)
	if err := <-h.done; err != nil {
		t.Fatal(err)
	}
}

func TestAffinityGivesATenantTheConnectionItUsedLast(t *testing.T) {
	a, b := apptest.NewTenant(t), apptest.NewTenant(t)
	for _, on := range []bool{true, false} {
		db, _ := affinityPool(t, 4)
		var aff *database.Affinity
		if on {
			aff = newAffinity(t, db)
		}
		r := affinityRunner(db, aff, nil)
		// Both tenants hold a connection at once; a's is given back first,
		// b's last.
		ha, hb := hold(t, r, siteOf(a)), hold(t, r, siteOf(b))
		ha.finish(t)
		hb.finish(t)
		again := backend(t, r, siteOf(a))
		if on {
			if again != ha.pid {
				t.Errorf("affinity on: a's next unit of work ran on backend %d, want %d, the one a used last (b's was %d)", again, ha.pid, hb.pid)
			}
			if s, parked := aff.Stats(); s.Hits != 1 || parked != 2 {
				t.Errorf("affinity on: %+v with %d parked, want 1 hit and both connections parked", s, parked)
			}
			continue
		}
		// database/sql hands out the connection given back last: b's.
		if again != hb.pid {
			t.Errorf("affinity off: a's next unit of work ran on backend %d, want %d, the pool's last returned", again, hb.pid)
		}
		if n := db.SQL.Stats().InUse; n != 0 {
			t.Errorf("affinity off: %d connections still checked out of the pool, want none kept", n)
		}
	}
}

func TestAffinitySpillsToAnIdleConnectionOfAnotherTenant(t *testing.T) {
	a, b := apptest.NewTenant(t), apptest.NewTenant(t)
	db, _ := affinityPool(t, 4)
	aff := newAffinity(t, db)
	r := affinityRunner(db, aff, nil)
	ha, hb := hold(t, r, siteOf(a)), hold(t, r, siteOf(b))
	hb.finish(t) // parked for b; a's own stays busy
	spilled := backend(t, r, siteOf(a))
	ha.finish(t)
	if spilled != hb.pid {
		t.Errorf("with a's connection busy, a's work ran on backend %d, want %d, b's idle one", spilled, hb.pid)
	}
	if n := db.SQL.Stats().OpenConnections; n != 2 {
		t.Errorf("%d connections open, want 2: no new one while one was idle", n)
	}
	if s, _ := aff.Stats(); s.Spills != 1 {
		t.Errorf("stats %+v, want one spill", s)
	}
}

func TestAffinitySpillsATenantToTheSameConnectionWhateverTheParkingOrder(t *testing.T) {
	a, e := apptest.NewTenant(t), apptest.NewTenant(t)
	db, _ := affinityPool(t, 5)
	aff := newAffinity(t, db)
	r := affinityRunner(db, aff, nil)
	// parkFour parks four connections for a, given back in the order
	// first decides (the other three after it, in the order taken).
	parkFour := func(first func([]*held) int) []*held {
		hs := []*held{hold(t, r, siteOf(a)), hold(t, r, siteOf(a)), hold(t, r, siteOf(a)), hold(t, r, siteOf(a))}
		i := first(hs)
		hs[i].finish(t)
		for j, h := range hs {
			if j != i {
				h.finish(t)
			}
		}
		return hs
	}
	parkFour(func([]*held) int { return 0 })
	home := backend(t, r, siteOf(e)) // a spill: e has no connection of its own yet
	// Again, now with another connection than e's given back first: taking
	// the one parked longest would send e there.
	parkFour(func(hs []*held) int {
		if hs[0].pid == home {
			return 1
		}
		return 0
	})
	if again := backend(t, r, siteOf(e)); again != home {
		t.Errorf("e's second spill ran on backend %d, want %d, where its first went: a tenant keeps to the connections it ranks first", again, home)
	}
	if s, _ := aff.Stats(); s.Spills < 2 {
		t.Errorf("stats %+v: want e's two units of work to be spills", s)
	}
}

// queue starts a unit of work of site that waits for a connection, and
// returns once it is in aff's queue, n Takes long.
func queue(t *testing.T, r *tenant.Runner, aff *database.Affinity, site tenant.Site, n int) *held {
	t.Helper()
	h := start(r, site)
	apptest.Eventually(t, fmt.Sprintf("%d Takes queued", n), 10*time.Second, func() bool { return aff.Queued() == n })
	return h
}

// started waits for the work to get its connection and returns its backend.
func (h *held) started(t *testing.T) int {
	t.Helper()
	select {
	case h.pid = <-h.pids:
	case err := <-h.done:
		t.Fatalf("the work ended early: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no connection for the work in 10s")
	}
	return h.pid
}

func TestAffinityHandsAFreedConnectionToAQueuedTakeOfItsTenantFirst(t *testing.T) {
	a, b, c := apptest.NewTenant(t), apptest.NewTenant(t), apptest.NewTenant(t)
	db, _ := affinityPool(t, 2)
	aff := newAffinity(t, db)
	r := affinityRunner(db, aff, nil)
	ha, hb := hold(t, r, siteOf(a)), hold(t, r, siteOf(b)) // the whole pool
	qc := queue(t, r, aff, siteOf(c), 1)
	qa := queue(t, r, aff, siteOf(a), 2) // younger than c's, but a's connection is the one freed
	ha.finish(t)
	if pid := qa.started(t); pid != ha.pid {
		t.Errorf("a's queued work ran on backend %d, want %d, the one a just gave back", pid, ha.pid)
	}
	hb.finish(t) // the oldest gets the next one
	if pid := qc.started(t); pid != hb.pid {
		t.Errorf("c's queued work ran on backend %d, want %d, the next one freed", pid, hb.pid)
	}
	qa.finish(t)
	qc.finish(t)
	if s, _ := aff.Stats(); s.Handoffs != 2 || s.Fresh != 2 {
		t.Errorf("stats %+v, want 2 connections from the pool and 2 handed over", s)
	}
}

func TestAffinityGivesAFreedConnectionToThePoolsOtherUsersBeforeItsQueue(t *testing.T) {
	a, b, c := apptest.NewTenant(t), apptest.NewTenant(t), apptest.NewTenant(t)
	db, _ := affinityPool(t, 2)
	aff := newAffinity(t, db)
	r := affinityRunner(db, aff, nil)
	ha, hb := hold(t, r, siteOf(a)), hold(t, r, siteOf(b))
	qc := queue(t, r, aff, siteOf(c), 1)
	waits := db.SQL.Stats().WaitCount
	outside := make(chan error, 1)
	go func() {
		var one int
		outside <- db.SQL.QueryRowContext(context.Background(), "SELECT 1").Scan(&one)
	}()
	apptest.Eventually(t, "a query outside tenant work waits in the pool", 10*time.Second,
		func() bool { return db.SQL.Stats().WaitCount > waits })
	ha.finish(t)
	select {
	case err := <-outside:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the query outside tenant work still waits after a tenant's connection came free")
	}
	hb.finish(t)
	qc.started(t)
	qc.finish(t)
}

func TestAffinityQueuedTakeOutOfTimeIsBusyAndLosesNoConnection(t *testing.T) {
	a, b := apptest.NewTenant(t), apptest.NewTenant(t)
	db, _ := affinityPool(t, 1)
	aff := newAffinity(t, db)
	r := affinityRunner(db, aff, nil)
	ha := hold(t, r, siteOf(a))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := r.Run(ctx, siteOf(b), true, func(g *gorm.DB, _ func(context.Context) error) error {
		return g.Exec("SELECT 1").Error
	})
	var busy *tenant.BusyError
	if !errors.As(err, &busy) {
		t.Fatalf("b's work with the only connection busy: %v, want a *tenant.BusyError", err)
	}
	if n := aff.Queued(); n != 0 {
		t.Errorf("%d Takes still queued after b's gave up, want 0", n)
	}
	ha.finish(t)
	if pid := backend(t, r, siteOf(b)); pid != ha.pid {
		t.Errorf("b's next work ran on backend %d, want %d, the pool's only connection", pid, ha.pid)
	}
}

func TestAffinityStaysWithinMaxConnsAndLeavesTheOthersAConnection(t *testing.T) {
	const maxConns = 3
	tenants := []apptest.Tenant{apptest.NewTenant(t), apptest.NewTenant(t), apptest.NewTenant(t), apptest.NewTenant(t)}
	db, app := affinityPool(t, maxConns)
	aff := newAffinity(t, db)
	r := affinityRunner(db, aff, nil)
	ctx := context.Background()

	var mu sync.Mutex
	most, pids := 0, map[int]bool{}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 15 {
				site := siteOf(tenants[(w+i)%len(tenants)])
				err := r.Run(ctx, site, true, func(g *gorm.DB, _ func(context.Context) error) error {
					var got struct{ Pid, Backends int }
					if err := g.Raw(`SELECT pg_backend_pid() AS pid, (SELECT count(*) FROM pg_stat_activity WHERE application_name = ?) AS backends`, app).
						Scan(&got).Error; err != nil {
						return err
					}
					mu.Lock()
					most, pids[got.Pid] = max(most, got.Backends), true
					mu.Unlock()
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	// Meanwhile the pool's other users (the registry, the commands) get
	// their turn: the affinity never keeps every connection.
	for range 20 {
		outside, cancel := context.WithTimeout(ctx, 5*time.Second)
		var one int
		err := db.SQL.QueryRowContext(outside, "SELECT 1").Scan(&one)
		cancel()
		if err != nil {
			t.Fatalf("a query outside tenant work waited in vain: %v", err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if most > maxConns || len(pids) > maxConns {
		t.Errorf("saw %d backends at once and %d in all, want at most max_conns %d", most, len(pids), maxConns)
	}
	// With work always waiting, freed connections went straight to the
	// queued work (or to the outside queries, which the loop above saw
	// answered), and once all was done they stay parked for the tenants.
	if s, parked := aff.Stats(); s.Handoffs == 0 || parked > maxConns {
		t.Errorf("stats %+v with %d parked: want handoffs to queued work and at most %d parked", s, parked, maxConns)
	}
}

func TestAffinityGivesBackWhenThePoolsOtherUsersWait(t *testing.T) {
	a, b := apptest.NewTenant(t), apptest.NewTenant(t)
	db, _ := affinityPool(t, 2)
	aff := newAffinity(t, db)
	r := affinityRunner(db, aff, nil)
	ha, hb := hold(t, r, siteOf(a)), hold(t, r, siteOf(b)) // every connection the pool may open
	waits := db.SQL.Stats().WaitCount
	outside := make(chan error, 1)
	go func() {
		var one int
		outside <- db.SQL.QueryRowContext(context.Background(), "SELECT 1").Scan(&one)
	}()
	apptest.Eventually(t, "a query outside tenant work waits in the pool", 10*time.Second,
		func() bool { return db.SQL.Stats().WaitCount > waits })
	ha.finish(t) // parking it would leave the waiting query nothing
	select {
	case err := <-outside:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a query outside tenant work still waits after a tenant's connection came free")
	}
	hb.finish(t)
	if _, parked := aff.Stats(); parked != 1 {
		t.Errorf("%d connections parked, want 1: a's went to the waiting query, b's is kept for b", parked)
	}
	aff.Close()
	if n := db.SQL.Stats().InUse; n != 0 {
		t.Errorf("after Close %d connections are still checked out, want every parked one given back", n)
	}
}

func TestAffinityKeepsAHotTenantToItsShare(t *testing.T) {
	hot, quiet := apptest.NewTenant(t), apptest.NewTenant(t)
	db, _ := affinityPool(t, 4)
	aff := newAffinity(t, db)
	shares := tenant.NewShares(2, 0)
	r := affinityRunner(db, aff, shares)

	h1, h2 := hold(t, r, siteOf(hot)), hold(t, r, siteOf(hot))
	err := r.Run(context.Background(), siteOf(hot), true, func(g *gorm.DB, _ func(context.Context) error) error {
		if err := g.Exec("SELECT 1").Error; err != nil {
			return err
		}
		t.Error("a third unit of work of the hot tenant ran past its share of 2")
		return nil
	})
	var busy *tenant.BusyError
	if !errors.As(err, &busy) {
		t.Fatalf("the hot tenant's third unit of work: %v, want a *tenant.BusyError", err)
	}
	q1, q2 := hold(t, r, siteOf(quiet)), hold(t, r, siteOf(quiet)) // the rest of the pool
	q1.finish(t)
	q2.finish(t)
	h1.finish(t)
	h2.finish(t)
	// The hot tenant's idle connections are anybody's: the quiet tenant's
	// work runs on the connections already open.
	before := db.SQL.Stats().OpenConnections
	q := []*held{hold(t, r, siteOf(quiet))}
	q = append(q, hold(t, r, siteOf(quiet)))
	for _, h := range q {
		h.finish(t)
	}
	if after := db.SQL.Stats().OpenConnections; after != before {
		t.Errorf("%d connections open after the quiet tenant's work, %d before: want the idle ones reused", after, before)
	}
}
