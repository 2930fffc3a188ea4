package auth

import "time"

// record is an entry of one of the throttle's tables.
type record interface {
	// lapsed reports whether the entry no longer counts at now.
	lapsed(now time.Time) bool
	// weight orders what is dropped when a table is full: the lightest
	// entry, and of equal ones the oldest, so that a flood of one-off
	// usernames evicts its own entries before an account under attack.
	weight() (int, time.Time)
}

// table is one of the throttle's maps, bounded so that a flood of distinct
// usernames or addresses cannot grow memory without limit. Its caller
// holds the throttle's lock.
type table[E record] struct {
	m map[string]E
}

// get returns key's entry, or the zero E when it has none or it lapsed
// (then it is dropped).
func (tb *table[E]) get(key string, now time.Time) E {
	var zero E
	e, ok := tb.m[key]
	if !ok {
		return zero
	}
	if e.lapsed(now) {
		delete(tb.m, key)
		return zero
	}
	return e
}

// put stores e under key, making room first when the table holds maxKeys.
func (tb *table[E]) put(key string, e E, now time.Time, maxKeys int) {
	if tb.m == nil {
		tb.m = map[string]E{}
	}
	if _, ok := tb.m[key]; !ok && len(tb.m) >= maxKeys {
		tb.makeRoom(now, maxKeys)
	}
	tb.m[key] = e
}

// makeRoom drops every lapsed entry and, if the table is still full, the
// lightest one.
func (tb *table[E]) makeRoom(now time.Time, maxKeys int) {
	var drop string
	var dropWeight int
	var dropSince time.Time
	for k, e := range tb.m {
		if e.lapsed(now) {
			delete(tb.m, k)
			continue
		}
		w, since := e.weight()
		if drop == "" || w < dropWeight || w == dropWeight && since.Before(dropSince) {
			drop, dropWeight, dropSince = k, w, since
		}
	}
	if len(tb.m) >= maxKeys && drop != "" {
		delete(tb.m, drop)
	}
}

// addrEntry counts one address's attempts at one account.
type addrEntry struct {
	failures    int
	pending     int // reserved, being checked
	first       time.Time
	window      time.Duration
	lockedUntil time.Time
}

func (e *addrEntry) lapsed(now time.Time) bool {
	return e.pending == 0 && !now.Before(e.first.Add(e.window)) && !now.Before(e.lockedUntil)
}

func (e *addrEntry) weight() (int, time.Time) { return e.failures + e.pending, e.first }

// accountEntry counts one account's attempts from every address.
type accountEntry struct {
	failures int
	pending  int
	last     time.Time // of the latest failure: the entry lapses Window after it
	window   time.Duration
	nextAt   time.Time     // slowed down: when the next check may start
	delay    time.Duration // slowed down: the wait after the next check
}

func (e *accountEntry) lapsed(now time.Time) bool {
	return e.pending == 0 && !now.Before(e.last.Add(e.window)) && !now.Before(e.nextAt)
}

func (e *accountEntry) weight() (int, time.Time) { return e.failures + e.pending, e.last }

// knownEntry is an address where an account logged in.
type knownEntry struct {
	until time.Time
}

func (e *knownEntry) lapsed(now time.Time) bool { return !now.Before(e.until) }

func (e *knownEntry) weight() (int, time.Time) { return 0, e.until }
