package web

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// tenantRates is the optional per-tenant request rate limit
// (tenancy.rate_limit): a token bucket per tenant, refilled at perSecond with
// a burst of one second's worth. Over it, the tenant's visitors get 429 with
// Retry-After, while other tenants are not touched.
//
// A bucket that has filled up again is no different from a new one, so once
// every rateSweepEvery the full ones are dropped: memory follows the tenants
// busy in the last second, not every tenant ever served.
type tenantRates struct {
	perSecond float64
	now       func() time.Time // time.Now; tests move it

	mu    sync.Mutex
	by    map[string]*rate.Limiter
	swept time.Time // the last sweep
}

// rateSweepEvery is how often full buckets are dropped: one pass over the
// buckets under the lock, which with 10,000 tenants busy costs well under a
// millisecond.
const rateSweepEvery = time.Second

func newTenantRates(perSecond float64) *tenantRates {
	return &tenantRates{perSecond: perSecond, now: time.Now, by: map[string]*rate.Limiter{}}
}

// allow takes one request from schema's bucket, or says how long to wait.
func (r *tenantRates) allow(schema string) error {
	now := r.now()
	r.mu.Lock()
	if now.Sub(r.swept) >= rateSweepEvery {
		r.sweep(now)
	}
	l := r.by[schema]
	if l == nil {
		l = rate.NewLimiter(rate.Limit(r.perSecond), max(1, int(r.perSecond)))
		r.by[schema] = l
	}
	// Reserved under the lock, so that a sweep never drops a bucket between
	// its lookup and its use.
	res := l.ReserveN(now, 1)
	wait := res.DelayFrom(now)
	if wait != 0 {
		res.CancelAt(now) // refused requests do not use up the tenant's future
	}
	r.mu.Unlock()
	if wait == 0 {
		return nil
	}
	return &limitError{
		status: http.StatusTooManyRequests,
		msg:    "This site is receiving more requests than it is allowed. Please try again in a moment.",
		after:  wait,
		reason: fmt.Sprintf("tenant over tenancy.rate_limit (%g requests/s)", r.perSecond),
		kind:   LimitRate,
	}
}

// sweep drops the buckets that are full at now; r.mu is held.
func (r *tenantRates) sweep(now time.Time) {
	for schema, l := range r.by {
		if l.TokensAt(now) >= float64(l.Burst()) {
			delete(r.by, schema)
		}
	}
	r.swept = now
}

// limitError is a request refused by one of polls' limits: the visitor sees
// msg with the status, Retry-After says when to come back, the log says
// which limit acted (reason) at WARN, metrics count it by kind.
type limitError struct {
	status int
	msg    string
	after  time.Duration
	reason string
	kind   string
}

func (e *limitError) Error() string { return e.reason }
