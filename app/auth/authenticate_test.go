package auth_test

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"

	"polls/app/apptest"
	"polls/app/auth"
	"polls/models"
)

// noRelease stands for webctx.Request.Checkpoint where the test's
// transaction has nothing to give back.
func noRelease(context.Context) error { return nil }

// inTenant runs fn in a transaction scoped to tn's schema and commits.
func inTenant(t *testing.T, tn apptest.Tenant, fn func(tx *gorm.DB)) {
	t.Helper()
	tn.Do(t, func(tx *gorm.DB) error { fn(tx); return nil })
}

func TestAuthenticate(t *testing.T) {
	tn := apptest.NewTenant(t)
	hash, _ := auth.HashPassword("right one")
	inTenant(t, tn, func(tx *gorm.DB) {
		for _, u := range []models.User{
			{Username: "alice", Password: hash, IsActive: true, IsStaff: true},
			{Username: "bob", Password: hash, IsActive: false, IsStaff: true},
		} {
			if err := models.CreateUser(tx, &u); err != nil {
				t.Fatal(err)
			}
		}
	})
	for _, tt := range []struct {
		name, username, password string
		wantErr                  error
	}{
		{"right", "alice", "right one", nil},
		{"wrong password", "alice", "wrong one", auth.ErrBadCredentials},
		{"unknown user", "nobody", "right one", auth.ErrBadCredentials},
		{"inactive", "bob", "right one", auth.ErrBadCredentials},
	} {
		inTenant(t, tn, func(tx *gorm.DB) {
			u, err := auth.NewHasher(1).Authenticate(context.Background(), tx, noRelease, tt.username, tt.password)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("%s: got error %v, want %v", tt.name, err, tt.wantErr)
			}
			if tt.wantErr == nil && u.Username != tt.username {
				t.Errorf("%s: got user %q, want %q", tt.name, u.Username, tt.username)
			}
		})
	}
}

func TestAuthenticateUpgradesOldHashes(t *testing.T) {
	tn := apptest.NewTenant(t)
	// A hash made with a lower cost, as if the costs had been raised since.
	inTenant(t, tn, func(tx *gorm.DB) {
		u := models.User{Username: "carol", Password: auth.HashWithTimeCost("right one", 1), IsActive: true}
		if err := models.CreateUser(tx, &u); err != nil {
			t.Fatal(err)
		}
	})
	inTenant(t, tn, func(tx *gorm.DB) {
		if _, err := auth.NewHasher(1).Authenticate(context.Background(), tx, noRelease, "carol", "right one"); err != nil {
			t.Fatalf("got %v, want the old hash accepted", err)
		}
	})
	inTenant(t, tn, func(tx *gorm.DB) {
		u, err := models.UserByUsername(tx, "carol")
		if err != nil {
			t.Fatal(err)
		}
		if auth.NeedsRehash(u.Password) || !auth.CheckPassword(u.Password, "right one") {
			t.Errorf("stored hash after login: got %q, want one with current costs", u.Password)
		}
	})
}
