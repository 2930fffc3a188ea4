package public

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"polls/app/auth"
)

// addressRates limits sign-up attempts per client address
// (tenancy.signup_rate): a token bucket per address holding up to n
// attempts, refilled at n per period. An IPv6 address counts as its /64, as
// the login throttle counts it. Buckets that have refilled completely are
// forgotten (they are the same as a new one), so memory follows the
// addresses seen within one period.
type addressRates struct {
	n   int
	per time.Duration
	now func() time.Time

	mu sync.Mutex
	by map[string]*rate.Limiter
}

func newAddressRates(n int, per time.Duration, now func() time.Time) *addressRates {
	return &addressRates{n: n, per: per, now: now, by: map[string]*rate.Limiter{}}
}

// sweepAt is the number of buckets past which full ones are forgotten.
const sweepAt = 1024

// allow takes one attempt from addr's bucket, or says how long until the
// next one is allowed.
func (a *addressRates) allow(addr string) (time.Duration, bool) {
	now := a.now()
	key := auth.ThrottleKey("polls.signup", "", addr)
	a.mu.Lock()
	defer a.mu.Unlock()
	l := a.by[key]
	if l == nil {
		if len(a.by) >= sweepAt {
			a.sweep(now)
		}
		l = rate.NewLimiter(rate.Every(a.per/time.Duration(a.n)), a.n)
		a.by[key] = l
	}
	res := l.ReserveN(now, 1)
	if wait := res.DelayFrom(now); wait > 0 {
		res.CancelAt(now) // a refused attempt does not push the next one further away
		return wait, false
	}
	return 0, true
}

// sweep forgets the buckets that are full again.
func (a *addressRates) sweep(now time.Time) {
	for k, l := range a.by {
		if l.TokensAt(now) >= float64(a.n) {
			delete(a.by, k)
		}
	}
}
