package auth

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"polls/models"
)

// ErrBadCredentials means the username and password do not name an active
// user. It does not say which part was wrong, on purpose.
var ErrBadCredentials = errors.New("wrong username or password")

// Authenticate returns the active user with this username and password.
//
// It reads the user through tx, then calls release, which must give the
// database connection back (webctx.Request.Checkpoint; tx's next query
// begins a new transaction), and only then waits for a hashing slot and
// checks the password: no connection waits on argon2id, nor on the queue
// for it. An unknown username takes the same steps and one hash check
// against a dummy hash, like a wrong password, so response times do not
// reveal which usernames exist. A hash made with older costs is upgraded
// on the way. Without a slot before ctx ends it returns a *BusyError.
func (h *Hasher) Authenticate(ctx context.Context, tx *gorm.DB, release func(context.Context) error,
	username, password string) (models.User, error) {
	u, err := models.UserByUsername(tx, username)
	found := err == nil
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return models.User{}, fmt.Errorf("authenticate %q: %w", username, err)
	}
	if err := release(ctx); err != nil {
		return models.User{}, fmt.Errorf("authenticate %q: %w", username, err)
	}
	encoded := dummyHash
	if found {
		encoded = u.Password
	}
	ok, err := h.Check(ctx, encoded, password)
	if err != nil {
		return models.User{}, fmt.Errorf("authenticate %q: %w", username, err)
	}
	if !found || !ok || !u.IsActive {
		return models.User{}, ErrBadCredentials
	}
	if NeedsRehash(u.Password) {
		hash, err := h.Hash(ctx, password)
		var busy *BusyError
		if errors.As(err, &busy) {
			return u, nil // the upgrade can wait for the next login; the login cannot
		}
		if err != nil {
			return models.User{}, fmt.Errorf("authenticate %q: %w", username, err)
		}
		if err := models.SetPassword(tx, u.ID, hash); err != nil {
			return models.User{}, fmt.Errorf("authenticate %q: %w", username, err)
		}
		u.Password = hash
	}
	return u, nil
}
