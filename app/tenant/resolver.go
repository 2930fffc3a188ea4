package tenant

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Resolver maps hostnames to tenants from memory. It loads every route at start
// and reloads when PostgreSQL announces a registry change on NotifyChannel, so a
// tenant created by any process is served at once, and a removed one stops being
// served within moments. A miss is checked against the database before it is
// refused, so a tenant committed a moment ago is never reported unknown.
type Resolver struct {
	db     *sql.DB
	url    string
	log    *slog.Logger
	mu     sync.RWMutex
	routes routeTable
	gen    uint64 // counts reloads, so a lookup that raced one is not cached
	// patched counts the routes loaded one batch of changes at a time
	// since the last full load (patchedEnough).
	patched int
	// misses holds a token per registry lookup of a host not in memory
	// (see Resolve); full, a miss is answered unknown without one.
	misses chan struct{}
}

// missLookups is how many hosts not in memory may be looked up in the
// registry at once. Those lookups exist for the moment between a tenant's
// creation and its notification (a quarter of a second at most); a flood of
// made-up Host headers must not turn into as many queries, taking the pool
// from every tenant.
const missLookups = 4

// NewResolver returns a Resolver reading from db; url is used to LISTEN.
func NewResolver(db *sql.DB, url string, log *slog.Logger) *Resolver {
	return &Resolver{db: db, url: url, log: log, routes: routeTable{}, misses: make(chan struct{}, missLookups)}
}

// Resolve returns the tenant of a Host header, or an *UnknownHostError.
func (r *Resolver) Resolve(ctx context.Context, hostHeader string) (Site, error) {
	host := HostFromRequest(hostHeader)
	if host == "" {
		return Site{}, &UnknownHostError{Host: displayHost(hostHeader)}
	}
	r.mu.RLock()
	cached, ok := r.routes[host]
	gen := r.gen
	r.mu.RUnlock()
	if ok {
		return *cached, nil
	}
	select {
	case r.misses <- struct{}{}:
		defer func() { <-r.misses }()
	default:
		// As many misses are being looked up as may be: this one is very
		// likely made up too, and a real new tenant is routed within moments.
		return Site{}, &UnknownHostError{Host: host}
	}
	s, ok, err := r.lookup(ctx, host)
	if err != nil {
		return Site{}, fmt.Errorf("look up tenant for %q: %w", host, err)
	}
	if !ok {
		return Site{}, &UnknownHostError{Host: host}
	}
	r.mu.Lock()
	// A reload since the lookup may already reflect a change that the lookup
	// missed (the domain moved or removed): caching it then would outlive that
	// change until the next one.
	if r.gen == gen {
		r.routes[host] = &s
	}
	r.mu.Unlock()
	return s, nil
}

// Recheck asks the registry itself for hostHeader's route, bypassing the
// cache, after a request of its cached tenant failed as a deleted or renamed
// tenant's would (MaybeGone). The cache takes what it finds. A host no
// longer routed is the *UnknownHostError that request should get; another
// error means the registry could not be asked.
func (r *Resolver) Recheck(ctx context.Context, hostHeader string) (Site, error) {
	host := HostFromRequest(hostHeader)
	s, ok, err := r.lookup(ctx, host)
	if err != nil {
		return Site{}, fmt.Errorf("recheck tenant for %q: %w", host, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !ok {
		delete(r.routes, host)
		return Site{}, &UnknownHostError{Host: host}
	}
	r.routes[host] = &s
	return s, nil
}

func (r *Resolver) lookup(ctx context.Context, host string) (Site, bool, error) {
	return lookupRoute(ctx, r.db, host)
}

// Reload replaces the routes with the registry's current content.
func (r *Resolver) Reload(ctx context.Context) error {
	_, err := r.reload(ctx)
	return err
}

// reload replaces the routes and returns the registry version they are of:
// both read in one snapshot, so routes of version v include every change up
// to v (see AwaitRouted).
func (r *Resolver) reload(ctx context.Context) (int64, error) {
	r.mu.RLock()
	hint := len(r.routes)
	r.mu.RUnlock()
	routes, version, err := loadRoutes(ctx, r.db, hint)
	if err != nil {
		return 0, fmt.Errorf("load tenant routes: %w", err)
	}
	r.mu.Lock()
	r.routes = routes
	r.patched = 0
	r.gen++
	r.mu.Unlock()
	return version, nil
}

// patchedEnough reports whether the tenants changed since the last full
// load, with n more, are enough to load everything again instead: a full
// load packs the routes into one slab (routes_compact.go), each batch of
// changes adds one of its own, and once a quarter of the table (at least
// repackAfter routes) came that way, one query of every route packs them
// again and frees what replaced routes held.
func (r *Resolver) patchedEnough(n int) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.patched+n > max(repackAfter, len(r.routes)/4)
}

// repackAfter is the fewest routes changed one batch at a time after which
// everything is loaded again (patchedEnough).
const repackAfter = 1024

// Sites returns the tenants currently routed, by primary domain.
func (r *Resolver) Sites() []Site {
	r.mu.RLock()
	seen := map[int64]Site{}
	for _, s := range r.routes {
		seen[s.ID] = *s
	}
	r.mu.RUnlock()
	out := make([]Site, 0, len(seen))
	for _, s := range seen {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Domain < out[j].Domain })
	return out
}

// Listen keeps the routes current until ctx ends: LISTEN on NotifyChannel,
// reload after every reconnect and after notifications.
func (r *Resolver) Listen(ctx context.Context) {
	const firstBackoff = 100 * time.Millisecond
	backoff := firstBackoff
	for ctx.Err() == nil {
		listened, err := r.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if listened {
			backoff = firstBackoff // a listener that worked is not a failing streak
		}
		r.log.Warn("tenant route listener lost; retrying", "err", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

// reloadGap is the least time from the start of one reload to the start of the
// next. A script creating thousands of tenants sends a notification for each;
// without a gap every server would reload all its routes back to back for as
// long as the script runs (BenchmarkRegistryBurst measures what it costs). A
// change is still routed within reloadGap plus one reload, well inside a
// second (BenchmarkRegistryChangeRouted).
const reloadGap = 250 * time.Millisecond

// listenOnce listens on one connection until it fails. Notifications only
// gather the tenants they name; a second goroutine reloads those tenants'
// routes, once for all the notifications that arrived during the previous
// reload. A burst of registry changes (a script creating tenants, a rollout
// migrating each one) then costs a few small reloads instead of one reload of
// every route per change, and the last change is routed moments after it
// commits.
// It reports whether it was listening before it failed.
func (r *Resolver) listenOnce(ctx context.Context) (bool, error) {
	cfg, err := pgx.ParseConfig(r.url)
	if err != nil {
		return false, err
	}
	cfg.RuntimeParams["application_name"] = ListenerName
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+NotifyChannel); err != nil {
		return false, err
	}
	pid := conn.PgConn().PID()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	changes := &registryChanges{}
	changes.reloadAll() // after LISTEN, so no change between the two is missed
	stale := make(chan struct{}, 1)
	stale <- struct{}{}
	reloaderDone := make(chan struct{})
	go func() {
		defer close(reloaderDone)
		for {
			select {
			case <-ctx.Done():
				return
			case <-stale:
				start := time.Now()
				version, err := r.apply(ctx, changes)
				if err == nil {
					err = r.acknowledge(ctx, pid, version)
				}
				if err != nil {
					cancel(err) // ends the wait below; Listen reconnects
					return
				}
				// Pace reloads during a long burst of changes.
				select {
				case <-ctx.Done():
					return
				case <-time.After(reloadGap - time.Since(start)):
				}
			}
		}
	}()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			cancel(err)
			<-reloaderDone
			return true, context.Cause(ctx) // the reload's error if that came first
		}
		changes.add(n.Payload)
		select {
		case stale <- struct{}{}:
		default: // a reload is already due: it will see this change too
		}
	}
}

// apply brings the routes up to the changes gathered and returns the
// registry version they now include. Notifications arrive in the order
// their changes committed, which is the order of the versions they made
// (each takes the version row's lock until its commit), so once the tenants
// they name are reloaded, the routes include every change up to the highest
// of them. Everything is reloaded when the changes say so.
func (r *Resolver) apply(ctx context.Context, changes *registryChanges) (int64, error) {
	all, ids, version := changes.take()
	if all || r.patchedEnough(len(ids)) {
		return r.reload(ctx)
	}
	if len(ids) == 0 {
		return version, nil
	}
	return version, r.reloadTenants(ctx, ids)
}

// acknowledge records that this server (its LISTEN backend, pid) routes by
// registry version: what AwaitRouted waits for.
func (r *Resolver) acknowledge(ctx context.Context, pid uint32, version int64) error {
	if err := acknowledgeRoutes(ctx, r.db, pid, version); err != nil {
		return fmt.Errorf("acknowledge tenant routes: %w", err)
	}
	return nil
}

// displayHost shortens a bad Host header for the 404 page.
func displayHost(h string) string {
	h = stripPort(h)
	if len(h) > 100 {
		h = h[:100] + "..."
	}
	return h
}

func stripPort(h string) string {
	for i := len(h) - 1; i >= 0; i-- {
		if h[i] == ':' {
			return h[:i]
		}
		if h[i] < '0' || h[i] > '9' {
			break
		}
	}
	return h
}
