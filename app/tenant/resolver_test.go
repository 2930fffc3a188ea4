package tenant_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/database"
	"polls/app/tenant"
)

// seenWithin is how soon every running server must route by a registry change
// made elsewhere (the "within a second").
const seenWithin = time.Second

// TestRegistryChangesReachEveryServer runs two resolvers as two `polls serve`
// processes would (each its own pool and its own LISTEN connection) and changes
// the registry from outside both: a tenant created through the provisioner,
// then a domain moved to another tenant and removed with plain SQL, as an
// operator would. Each change must be routed by both within seenWithin.
func TestRegistryChangesReachEveryServer(t *testing.T) {
	ctx := context.Background()
	other, err := database.Open(ctx, apptest.URL(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	servers := []*tenant.Resolver{listeningResolver(t, apptest.DB(t)), listeningResolver(t, other)}

	a := apptest.NewTenant(t)
	waitForAll(t, servers, "tenant "+a.Schema+" created", func(r *tenant.Resolver) bool {
		return slices.ContainsFunc(r.Sites(), func(s tenant.Site) bool { return s.Domain == a.Domain })
	})
	b := apptest.NewTenant(t)
	db := apptest.DB(t).SQL
	alias := "alias-" + apptest.RandomName(8) + ".test"
	if _, err := db.ExecContext(ctx, `INSERT INTO public.domains (domain, tenant_id)
		SELECT $1, id FROM public.tenants WHERE schema_name = $2`, alias, a.Schema); err != nil {
		t.Fatal(err)
	}
	waitForAll(t, servers, "alias added to "+a.Schema, routesTo(alias, a.Schema))

	if _, err := db.ExecContext(ctx, `UPDATE public.domains SET tenant_id = (SELECT id FROM public.tenants WHERE schema_name = $2)
		WHERE domain = $1`, alias, b.Schema); err != nil {
		t.Fatal(err)
	}
	waitForAll(t, servers, "alias moved to "+b.Schema, routesTo(alias, b.Schema))

	if _, err := db.ExecContext(ctx, `DELETE FROM public.domains WHERE domain = $1`, alias); err != nil {
		t.Fatal(err)
	}
	waitForAll(t, servers, "alias removed", func(r *tenant.Resolver) bool {
		var unknown *tenant.UnknownHostError
		_, err := r.Resolve(ctx, alias)
		return errors.As(err, &unknown)
	})
}

// TestBurstOfRegistryChangesIsSeenWithinASecond makes many registry changes in
// quick succession, one transaction each, from several connections (as scripts
// creating tenants in bulk would), over a registry that already routes thousands of domains, and checks
// both servers route the last change within seenWithin of its commit: a server
// must not fall behind by reloading once per notification.
func TestBurstOfRegistryChangesIsSeenWithinASecond(t *testing.T) {
	if testing.Short() {
		t.Skip("inserts thousands of registry rows")
	}
	const existing, burst, writers = 10000, 1200, 4
	ctx := context.Background()
	db := apptest.DB(t).SQL
	prefix := "burst_" + apptest.RandomName(6) + "_"
	t.Cleanup(func() {
		_, _ = db.ExecContext(context.Background(), `DELETE FROM public.tenants WHERE schema_name LIKE $1`, prefix+"%")
	})
	if _, err := db.ExecContext(ctx, `WITH t AS (
			INSERT INTO public.tenants (schema_name, name, ready)
			SELECT $1 || i, 'bulk', true FROM generate_series(1, $2::int) i RETURNING id, schema_name)
		INSERT INTO public.domains (domain, tenant_id, is_primary)
		SELECT replace(schema_name, '_', '-') || '.test', id, true FROM t`, prefix+"old", existing); err != nil {
		t.Fatal(err)
	}
	other, err := database.Open(ctx, apptest.URL(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	servers := []*tenant.Resolver{listeningResolver(t, apptest.DB(t)), listeningResolver(t, other)}

	// Several writers, one transaction per tenant: two notifications each.
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < burst; i += writers {
				schema := fmt.Sprintf("%snew%d", prefix, i)
				if _, err := db.ExecContext(ctx, `WITH t AS (
						INSERT INTO public.tenants (schema_name, name, ready) VALUES ($1, 'burst', true) RETURNING id)
					INSERT INTO public.domains (domain, tenant_id, is_primary) SELECT $2, id, true FROM t`,
					schema, domainOf(schema)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	last := domainOf(fmt.Sprintf("%snew%d", prefix, burst-1))
	waitForAll(t, servers, fmt.Sprintf("the last of %d tenants added over %d", burst, existing), func(r *tenant.Resolver) bool {
		return slices.ContainsFunc(r.Sites(), func(s tenant.Site) bool { return s.Domain == last })
	})
	// Then the servers must go quiet, not work through one reload of every
	// route per notification received.
	const window = 500 * time.Millisecond
	before := cpuTime(t)
	time.Sleep(window)
	if busy := cpuTime(t) - before; busy > window/5 {
		t.Fatalf("after the burst the servers used %v of CPU in %v, want them idle", busy, window)
	} else {
		t.Logf("after the burst: %v of CPU in %v", busy, window)
	}
}

// cpuTime is the CPU time this process has used so far.
func cpuTime(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func domainOf(schema string) string {
	b := []byte(schema)
	for i, c := range b {
		if c == '_' {
			b[i] = '-'
		}
	}
	return string(b) + ".test"
}

// listeningResolver is a server's resolver: routes loaded, listening for
// registry changes until the test ends.
func listeningResolver(t *testing.T, db *database.DB) *tenant.Resolver {
	t.Helper()
	r := tenant.NewResolver(db.SQL, db.URL, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := r.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Listen(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return r
}

// routesTo reports whether r sends host to the tenant with schema.
func routesTo(host, schema string) func(r *tenant.Resolver) bool {
	return func(r *tenant.Resolver) bool {
		s, err := r.Resolve(context.Background(), host)
		return err == nil && s.Schema == schema
	}
}

// waitForAll checks cond on every resolver every 10ms until it holds for all
// of them, and fails if that took longer than seenWithin. It is a bounded wait
// for an asynchronous event (a notification), not a sleep standing in for one.
func waitForAll(t *testing.T, rs []*tenant.Resolver, what string, cond func(*tenant.Resolver) bool) {
	t.Helper()
	start := time.Now()
	deadline := start.Add(2 * seenWithin)
	for {
		all := true
		for _, r := range rs {
			all = all && cond(r)
		}
		elapsed := time.Since(start)
		switch {
		case all && elapsed <= seenWithin:
			t.Logf("%s: seen by %d servers after %v", what, len(rs), elapsed.Round(time.Millisecond))
			return
		case all:
			t.Fatalf("%s: seen by every server only after %v, want within %v", what, elapsed, seenWithin)
		case time.Now().After(deadline):
			t.Fatalf("%s: not seen by every server after %v, want within %v", what, elapsed, seenWithin)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
