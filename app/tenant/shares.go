package tenant

import (
	"context"
	"sync"
)

// Shares keeps one tenant from taking the whole connection pool: a tenant
// holds at most PerTenant connections at once, and at most Queue more of its
// units of work wait for a turn (each within its own deadline). A busy
// tenant's other requests are refused at once with a *BusyError, while every
// other tenant still finds connections free. Tenants without work in flight
// cost nothing: their entry is dropped.
type Shares struct {
	perTenant int
	queue     int

	mu sync.Mutex
	by map[string]*share
}

// share is one tenant's turns: a slot in turns is a connection held.
type share struct {
	turns   chan struct{}
	waiting int // units of work waiting for a turn
	users   int // holding or waiting; the entry goes at 0
}

// NewShares returns a gate giving each tenant perTenant connections and a
// queue of queue waiting units of work.
func NewShares(perTenant, queue int) *Shares {
	return &Shares{perTenant: max(perTenant, 1), queue: max(queue, 0), by: map[string]*share{}}
}

// Enter waits for one of schema's turns, until ctx ends; leave gives it back.
func (s *Shares) Enter(ctx context.Context, schema string) (leave func(), err error) {
	s.mu.Lock()
	sh := s.by[schema]
	if sh == nil {
		sh = &share{turns: make(chan struct{}, s.perTenant)}
		s.by[schema] = sh
	}
	select {
	case sh.turns <- struct{}{}:
		sh.users++
		s.mu.Unlock()
		return s.leaver(schema, sh), nil
	default:
	}
	if sh.waiting >= s.queue {
		s.mu.Unlock()
		return nil, &BusyError{Schema: schema, Limit: BusyQueueFull, Reason: "the tenant's share of connections is in use and its queue is full"}
	}
	sh.waiting++
	sh.users++
	s.mu.Unlock()

	select {
	case sh.turns <- struct{}{}:
		s.mu.Lock()
		sh.waiting--
		s.mu.Unlock()
		return s.leaver(schema, sh), nil
	case <-ctx.Done():
		s.mu.Lock()
		sh.waiting--
		s.drop(schema, sh)
		s.mu.Unlock()
		return nil, &BusyError{Schema: schema, Limit: BusyShareWait, Reason: "the tenant's share of connections stayed in use", Err: ctx.Err()}
	}
}

// leaver returns the function that gives a turn back, once.
func (s *Shares) leaver(schema string, sh *share) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			<-sh.turns
			s.mu.Lock()
			s.drop(schema, sh)
			s.mu.Unlock()
		})
	}
}

// drop counts one user gone and forgets the share when nobody uses it; s.mu is held.
func (s *Shares) drop(schema string, sh *share) {
	sh.users--
	if sh.users == 0 && s.by[schema] == sh {
		delete(s.by, schema)
	}
}

// InUse reports how many connections schema holds now (for tests and logs).
func (s *Shares) InUse(schema string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sh := s.by[schema]; sh != nil {
		return len(sh.turns)
	}
	return 0
}
