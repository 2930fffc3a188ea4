package auth

import (
	"fmt"
	"sync"
	"time"
)

// Throttle slows password guessing against one account (a site's username)
// without letting a guesser lock its owner out. Its policy:
//
//   - Per address: AddrLimit failed attempts at an account from one client
//     address (an IPv6 address counts as its /64, which one subscriber
//     usually holds whole) within Window refuse that address, for that
//     account, until Window has passed since the last of them.
//   - Per account: AccountLimit failed attempts from all addresses together
//     within Window slow the account down rather than block it: from then
//     on its password is checked at most once per delay, which starts at
//     SlowStart and doubles with every check up to SlowMax; an attempt
//     before its turn is refused with the time left. The slowdown ends once
//     Window has passed without a failure. So many addresses get no more
//     guesses than AccountLimit in a burst, and then one a minute at most.
//   - An address where the account logged in within KnownFor is exempt from
//     the account's slowdown (its own per-address limit still holds): a
//     guesser elsewhere can neither lock nor slow the owner out of their
//     usual places. (Behind a proxy, set server.trusted_proxies, or every
//     visitor is the proxy's address.)
//
// Every attempt is reserved (Reserve) before its password is checked, and
// counts against both limits while it is checked, so parallel requests get
// no more checks than sequential ones. The throttle lives in the serving
// process's memory, each table holding at most MaxKeys keys; a restart
// forgets it, which only gives a guesser one more burst.
type Throttle struct {
	AddrLimit    int
	AccountLimit int
	Window       time.Duration
	SlowStart    time.Duration
	SlowMax      time.Duration
	KnownFor     time.Duration
	MaxKeys      int
	Now          func() time.Time // the clock; tests may move it

	mu       sync.Mutex
	addrs    table[*addrEntry]    // site, username and address
	accounts table[*accountEntry] // site and username
	known    table[*knownEntry]   // site, username and address: logged in there
}

// NewThrottle returns a Throttle with the defaults: 5 failures per address
// and 20 per account in 15 minutes, checks of a slowed account 1 s apart
// and then up to a minute, addresses known for 30 days, 10,000 keys a table.
func NewThrottle() *Throttle {
	return &Throttle{
		AddrLimit: 5, AccountLimit: 20, Window: 15 * time.Minute,
		SlowStart: time.Second, SlowMax: time.Minute, KnownFor: 30 * 24 * time.Hour,
		MaxKeys: 10000, Now: time.Now,
	}
}

// ThrottledError is an attempt refused by the throttle: its password was
// not checked. Wait is how long until an attempt may be checked again.
type ThrottledError struct {
	Wait    time.Duration
	Account bool // the account's slowdown refused it, not the address's limit
}

func (e *ThrottledError) Error() string {
	if e.Account {
		return fmt.Sprintf("login throttled: account slowed down, next check in %v", e.Wait)
	}
	return fmt.Sprintf("login throttled: too many failures from this address, wait %v", e.Wait)
}

// pendingWait is what an attempt refused only because others from its
// address are being checked is told to wait: by then they have an answer.
const pendingWait = time.Second

// Attempt is one login attempt reserved by Reserve. Exactly one of Fail,
// Succeed or Cancel counts; calls after the first do nothing, so a handler
// may defer Cancel.
type Attempt struct {
	t                 *Throttle
	addrKey, acctKey  string
	counted, finished bool // counted: against the account (not a known address)
}

// Reserve takes an attempt at site's username from addr before its password
// is checked, or refuses with a *ThrottledError; the whole decision is made
// under one lock, so no two requests can take the same last attempt.
func (t *Throttle) Reserve(site, username, addr string) (*Attempt, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	a := &Attempt{t: t, addrKey: ThrottleKey(site, username, addr), acctKey: accountKey(site, username)}

	ae := t.addrs.get(a.addrKey, now)
	switch {
	case ae == nil:
	case now.Before(ae.lockedUntil):
		return nil, &ThrottledError{Wait: ae.lockedUntil.Sub(now)}
	case ae.failures+ae.pending >= t.AddrLimit:
		return nil, &ThrottledError{Wait: pendingWait}
	}

	known := t.known.get(a.addrKey, now) != nil
	var ce *accountEntry
	if !known {
		ce = t.accounts.get(a.acctKey, now)
		if ce != nil && ce.failures+ce.pending >= t.AccountLimit && now.Before(ce.nextAt) {
			return nil, &ThrottledError{Wait: ce.nextAt.Sub(now), Account: true}
		}
	}

	if ae == nil {
		ae = &addrEntry{first: now, window: t.Window}
		t.addrs.put(a.addrKey, ae, now, t.MaxKeys)
	}
	ae.pending++
	if !known {
		if ce == nil {
			ce = &accountEntry{last: now, window: t.Window, delay: t.SlowStart}
			t.accounts.put(a.acctKey, ce, now, t.MaxKeys)
		}
		ce.pending++
		if ce.failures+ce.pending >= t.AccountLimit {
			// This check is the account's last before the slowdown, or one
			// in it: the next waits its turn.
			ce.nextAt = now.Add(ce.delay)
			ce.delay = min(2*ce.delay, t.SlowMax)
		}
		a.counted = true
	}
	return a, nil
}

// Fail records that the password was wrong.
func (a *Attempt) Fail() {
	a.finish(func(now time.Time, ae *addrEntry, ce *accountEntry) {
		ae.failures++
		if ae.failures >= a.t.AddrLimit {
			ae.lockedUntil = now.Add(a.t.Window)
		}
		if ce != nil {
			ce.failures++
			ce.last = now
		}
	})
}

// Succeed records that the password was right: the address's failures are
// forgotten (the person there knows it) and the address becomes known to
// the account. The account's failures stay: they were made elsewhere.
func (a *Attempt) Succeed() {
	a.finish(func(now time.Time, ae *addrEntry, _ *accountEntry) {
		ae.failures, ae.first, ae.lockedUntil = 0, now, time.Time{}
		a.t.known.put(a.addrKey, &knownEntry{until: now.Add(a.t.KnownFor)}, now, a.t.MaxKeys)
	})
}

// Cancel gives the attempt back when no password was checked after all
// (hashing was busy, the database failed). A slowed account's turn it took
// stays taken.
func (a *Attempt) Cancel() {
	a.finish(func(time.Time, *addrEntry, *accountEntry) {})
}

// finish ends the attempt once: its reservation is dropped and record
// counts the outcome. Entries evicted meanwhile are made again, so the
// outcome still counts.
func (a *Attempt) finish(record func(now time.Time, ae *addrEntry, ce *accountEntry)) {
	t := a.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if a.finished {
		return
	}
	a.finished = true
	now := t.Now()
	ae := t.addrs.get(a.addrKey, now)
	if ae == nil {
		ae = &addrEntry{first: now, window: t.Window}
		t.addrs.put(a.addrKey, ae, now, t.MaxKeys)
	} else if ae.pending > 0 {
		ae.pending--
	}
	var ce *accountEntry
	if a.counted {
		if ce = t.accounts.get(a.acctKey, now); ce == nil {
			ce = &accountEntry{last: now, window: t.Window, delay: t.SlowStart}
			t.accounts.put(a.acctKey, ce, now, t.MaxKeys)
		} else if ce.pending > 0 {
			ce.pending--
		}
	}
	record(now, ae, ce)
}

// Len returns how many keys the throttle holds, in all its tables.
func (t *Throttle) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.addrs.m) + len(t.accounts.m) + len(t.known.m)
}
