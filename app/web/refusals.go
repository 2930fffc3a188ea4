package web

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// refusalLog writes the WARN line of a limit acting at most once a second
// per tenant and limit, with the number of refusals since the last line: a
// stampede refused thousands of times a second must not spend the machine
// on its own log, while the log still says which tenant hit which limit.
type refusalLog struct {
	log *slog.Logger

	mu   sync.Mutex
	seen map[refusalKey]*refusalCount
}

type refusalKey struct{ tenant, limit string }

type refusalCount struct {
	logged time.Time
	since  int // refusals not yet logged
}

func newRefusalLog(log *slog.Logger) *refusalLog {
	return &refusalLog{log: log, seen: map[refusalKey]*refusalCount{}}
}

// refused records one refusal and logs it if the last line for the same
// tenant and limit is over a second old.
func (r *refusalLog) refused(ctx context.Context, tenant, limit string, status int, method, path string, err error) {
	now := time.Now()
	key := refusalKey{tenant, limit}
	r.mu.Lock()
	c := r.seen[key]
	if c == nil {
		c = &refusalCount{}
		r.seen[key] = c
	}
	c.since++
	if now.Sub(c.logged) < time.Second {
		r.mu.Unlock()
		return
	}
	n := c.since
	c.since, c.logged = 0, now
	// Forget quiet keys now and then, so tenants refused once do not add up.
	if len(r.seen) > 1024 {
		for k, v := range r.seen {
			if now.Sub(v.logged) > time.Minute {
				delete(r.seen, k)
			}
		}
	}
	r.mu.Unlock()
	r.log.WarnContext(ctx, "request refused: "+limit, "tenant", tenant, "status", status, "refusals", n,
		"method", method, "path", path, "err", err)
}
