package auth_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"polls/app/apptest"
	"polls/app/auth"
	"polls/models"
)

// TestHasherNeverRunsMoreThanItsSlots: with its slots taken, a hash waits,
// and gives up with a *BusyError when its context ends first; however many
// are asked for at once, no more than the slots ever run together.
func TestHasherNeverRunsMoreThanItsSlots(t *testing.T) {
	h := auth.NewHasher(2)
	hash, _ := auth.HashPassword("pw")
	gate := make(chan struct{})
	started := make(chan struct{}, 2)
	var n atomic.Int64
	h.Started = func() {
		if n.Add(1) <= 2 { // the first two hold their slots until the gate opens
			started <- struct{}{}
			<-gate
		}
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = h.Check(context.Background(), hash, "pw") }()
	}
	<-started
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := h.Check(ctx, hash, "pw")
	var busy *auth.BusyError
	if !errors.As(err, &busy) || !errors.Is(err, context.Canceled) || busy.Slots != 2 {
		t.Errorf("a third check while both slots are held, its context ended: got %v, want a *BusyError for 2 slots", err)
	}
	if _, err := h.Hash(ctx, "pw"); !errors.As(err, &busy) {
		t.Errorf("a hash while both slots are held, its context ended: got %v, want a *BusyError", err)
	}
	close(gate)
	wg.Wait()

	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, err := h.Check(context.Background(), hash, "pw"); !ok || err != nil {
				t.Errorf("a check among 20 at once: got %v, %v; want true", ok, err)
			}
		}()
	}
	wg.Wait()
	if h.Peak() != 2 || h.Runs() != 22 {
		t.Errorf("after 22 checks on 2 slots: got peak %d and %d run, want peak 2 and 22 run", h.Peak(), h.Runs())
	}
}

// TestAuthenticateHashesOnlyAfterRelease: the user is read, the connection
// given back, and only then is a slot taken and the hash checked, for a
// known user and an unknown one alike (so timing tells neither apart).
func TestAuthenticateHashesOnlyAfterRelease(t *testing.T) {
	tn := apptest.NewTenant(t)
	hash, _ := auth.HashPassword("right one")
	inTenant(t, tn, func(tx *gorm.DB) {
		if err := models.CreateUser(tx, &models.User{Username: "alice", Password: hash, IsActive: true}); err != nil {
			t.Fatal(err)
		}
	})
	for _, tt := range []struct{ username, password string }{
		{"alice", "right one"}, {"alice", "wrong one"}, {"nobody", "right one"},
	} {
		h := auth.NewHasher(1)
		released := false
		h.Started = func() {
			if !released {
				t.Errorf("%s: got a hash started before the connection was given back", tt.username)
			}
		}
		inTenant(t, tn, func(tx *gorm.DB) {
			release := func(context.Context) error { released = true; return nil }
			_, _ = h.Authenticate(context.Background(), tx, release, tt.username, tt.password)
		})
		if h.Runs() != 1 {
			t.Errorf("%s/%s: got %d hashes, want exactly 1", tt.username, tt.password, h.Runs())
		}
	}
}
