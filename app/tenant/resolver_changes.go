package tenant

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// registryChanges gathers what registry notifications said since the last
// reload: the tenants they touched and the highest registry version they
// made, or that everything must be reloaded. The registry's triggers say
// "v:42 ids:7,9" (shared migration 000008); "ids:all", TRUNCATE's and any
// other payload mean everything.
type registryChanges struct {
	mu      sync.Mutex
	all     bool
	ids     map[int64]bool
	version int64
}

// add records one notification's payload.
func (c *registryChanges) add(payload string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	version, ids, ok := parseChange(payload)
	if !ok {
		c.all = true
		return
	}
	c.version = max(c.version, version)
	if c.ids == nil {
		c.ids = map[int64]bool{}
	}
	for _, id := range ids {
		c.ids[id] = true
	}
}

// reloadAll asks for a full reload (after LISTEN, when nothing is known).
func (c *registryChanges) reloadAll() {
	c.mu.Lock()
	c.all = true
	c.mu.Unlock()
}

// take returns what was gathered and starts afresh.
func (c *registryChanges) take() (all bool, ids []int64, version int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id := range c.ids {
		ids = append(ids, id)
	}
	all, version = c.all, c.version
	c.all, c.ids, c.version = false, nil, 0
	return all, ids, version
}

// parseChange reads "v:VERSION ids:ID,ID,..."; ok is false for anything
// else, "ids:all" included.
func parseChange(payload string) (version int64, ids []int64, ok bool) {
	v, list, found := strings.Cut(payload, " ")
	if !found || !strings.HasPrefix(v, "v:") || !strings.HasPrefix(list, "ids:") {
		return 0, nil, false
	}
	version, err := strconv.ParseInt(v[len("v:"):], 10, 64)
	if err != nil {
		return 0, nil, false
	}
	for _, s := range strings.Split(list[len("ids:"):], ",") {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, nil, false // "all", or a payload polls did not write
		}
		ids = append(ids, id)
	}
	return version, ids, true
}

// reloadTenants replaces the routes of the tenants ids (all their domains,
// whatever they were) with the registry's current ones.
func (r *Resolver) reloadTenants(ctx context.Context, ids []int64) error {
	routes, err := loadTenantRoutes(ctx, r.db, ids)
	if err != nil {
		return fmt.Errorf("load tenant routes: %w", err)
	}
	gone := make(map[int64]bool, len(ids))
	for _, id := range ids {
		gone[id] = true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for host, s := range r.routes {
		if gone[s.ID] {
			delete(r.routes, host)
		}
	}
	for host, s := range routes {
		r.routes[host] = s
	}
	r.patched += len(routes)
	r.gen++
	return nil
}
