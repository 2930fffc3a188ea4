package tenant

// Cached returns the route r holds in memory for host, without asking the
// registry as Resolve does on a miss: for tests of the route table itself.
func (r *Resolver) Cached(host string) (Site, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, ok := r.routes[host]
	if !ok {
		return Site{}, false
	}
	return *s, true
}
