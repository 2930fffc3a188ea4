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
type tenantRates struct {
	perSecond float64

	mu sync.Mutex
	by map[string]*rate.Limiter
}

func newTenantRates(perSecond float64) *tenantRates {
	return &tenantRates{perSecond: perSecond, by: map[string]*rate.Limiter{}}
}

// allow takes one request from schema's bucket, or says how long to wait.
func (r *tenantRates) allow(schema string) error {
	r.mu.Lock()
	l := r.by[schema]
	if l == nil {
		l = rate.NewLimiter(rate.Limit(r.perSecond), max(1, int(r.perSecond)))
		r.by[schema] = l
	}
	r.mu.Unlock()
	res := l.Reserve()
	wait := res.Delay()
	if wait == 0 {
		return nil
	}
	res.Cancel() // refused requests do not use up the tenant's future
	return &limitError{
		status: http.StatusTooManyRequests,
		msg:    "This site is receiving more requests than it is allowed. Please try again in a moment.",
		after:  wait,
		reason: fmt.Sprintf("tenant over tenancy.rate_limit (%g requests/s)", r.perSecond),
		kind:   LimitRate,
	}
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
