package auth

import (
	"crypto/sha256"
	"sync"
	"time"
)

// Throttle slows password guessing: after Limit failed logins for one key
// (site, username and client address) within Window, that key is refused
// until Window has passed since its Limit-th failure. It lives in the serving
// process's memory and holds at most MaxKeys keys; a restart forgets it, which
// only gives a guesser Limit more tries.
type Throttle struct {
	Limit   int
	Window  time.Duration
	MaxKeys int
	Now     func() time.Time // the clock; tests may move it

	mu   sync.Mutex
	keys map[string]*throttleEntry
}

type throttleEntry struct {
	failures    int
	first       time.Time // of the current window
	lockedUntil time.Time
}

// NewThrottle returns a Throttle with the defaults: 5 failures in 15 minutes,
// for up to 10,000 keys.
func NewThrottle() *Throttle {
	return &Throttle{Limit: 5, Window: 15 * time.Minute, MaxKeys: 10000, Now: time.Now}
}

// ThrottleKey makes the key of a site, username and client address: their
// SHA-256, so that every key takes 32 bytes however long a username is posted
// (which keeps MaxKeys a bound on memory), and distinct triples never share
// a key (NUL cannot occur in a schema name or an address).
func ThrottleKey(site, username, addr string) string {
	sum := sha256.Sum256([]byte(site + "\x00" + username + "\x00" + addr))
	return string(sum[:])
}

// Blocked reports whether key is refused now, and for how much longer.
func (t *Throttle) Blocked(key string) (time.Duration, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.keys[key]
	if !ok {
		return 0, false
	}
	if wait := e.lockedUntil.Sub(t.Now()); wait > 0 {
		return wait, true
	}
	return 0, false
}

// Fail records a failed login for key.
func (t *Throttle) Fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	if t.keys == nil {
		t.keys = map[string]*throttleEntry{}
	}
	e, ok := t.keys[key]
	if !ok || t.expired(e, now) {
		if !ok && len(t.keys) >= t.MaxKeys {
			t.makeRoom(now)
		}
		e = &throttleEntry{first: now}
		t.keys[key] = e
	}
	e.failures++
	if e.failures >= t.Limit {
		e.lockedUntil = now.Add(t.Window)
	}
}

// Succeed forgets key's failures: the person knows the password.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, key)
}

// expired reports whether an entry no longer counts: its window is over and
// it is not locked.
func (t *Throttle) expired(e *throttleEntry, now time.Time) bool {
	return !now.Before(e.first.Add(t.Window)) && !now.Before(e.lockedUntil)
}

// makeRoom drops every expired entry and, if the map is still full, the
// entry whose window started longest ago, so memory stays bounded even under
// a flood of distinct usernames.
func (t *Throttle) makeRoom(now time.Time) {
	var oldestKey string
	var oldest time.Time
	for k, e := range t.keys {
		if t.expired(e, now) {
			delete(t.keys, k)
			continue
		}
		if oldestKey == "" || e.first.Before(oldest) {
			oldestKey, oldest = k, e.first
		}
	}
	if len(t.keys) >= t.MaxKeys && oldestKey != "" {
		delete(t.keys, oldestKey)
	}
}

// Len returns how many keys the throttle holds.
func (t *Throttle) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.keys)
}
