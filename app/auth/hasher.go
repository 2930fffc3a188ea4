package auth

import (
	"context"
	"fmt"
	"sync/atomic"
)

// Hasher runs the argon2id work of logins and password changes at most a
// fixed number at a time in the whole process. Each hash takes 19 MiB and
// a CPU for tens of milliseconds: unbounded, 100 parallel logins took polls
// from 78 to 616 MB and every other tenant's pages waited for CPU. Bounding
// how many run, not what each costs, keeps argon2id's strength; the others
// wait for a turn, holding no database connection (see Authenticate).
type Hasher struct {
	slots chan struct{}
	// Started, when set, is called in a slot as each hash starts: tests use
	// it to hold a hash while they look at the rest of the server.
	Started func()

	running atomic.Int64
	peak    atomic.Int64
	runs    atomic.Int64
}

// NewHasher returns a Hasher running at most n hashes at once (at least 1).
func NewHasher(n int) *Hasher {
	return &Hasher{slots: make(chan struct{}, max(n, 1))}
}

// BusyError means no hashing slot came free before the request's deadline:
// too many logins at once. Nothing was checked; the visitor may try again.
type BusyError struct {
	Slots int
	Err   error // the wait's context error
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("all %d password hashing slots stayed in use: %v", e.Slots, e.Err)
}

func (e *BusyError) Unwrap() error { return e.Err }

// Hash returns a new argon2id hash of password (HashPassword) in a slot.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	var hash string
	err := h.run(ctx, func() error {
		var err error
		hash, err = HashPassword(password)
		return err
	})
	return hash, err
}

// Check reports whether password matches encoded (CheckPassword), in a slot.
func (h *Hasher) Check(ctx context.Context, encoded, password string) (bool, error) {
	var ok bool
	err := h.run(ctx, func() error {
		ok = CheckPassword(encoded, password)
		return nil
	})
	return ok, err
}

// run waits for a slot until ctx ends, then runs fn in it.
func (h *Hasher) run(ctx context.Context, fn func() error) error {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return &BusyError{Slots: cap(h.slots), Err: ctx.Err()}
	}
	defer func() { <-h.slots }()
	n := h.running.Add(1)
	defer h.running.Add(-1)
	for p := h.peak.Load(); n > p && !h.peak.CompareAndSwap(p, n); p = h.peak.Load() {
	}
	h.runs.Add(1)
	if h.Started != nil {
		h.Started()
	}
	return fn()
}

// Slots is how many hashes may run at once.
func (h *Hasher) Slots() int { return cap(h.slots) }

// Peak is the most hashes that ever ran at once.
func (h *Hasher) Peak() int { return int(h.peak.Load()) }

// Runs is how many hashes have run: one per password checked or hashed.
func (h *Hasher) Runs() int { return int(h.runs.Load()) }
