package auth

import (
	"errors"
	"fmt"

	"gorm.io/gorm"

	"polls/models"
)

// ErrBadCredentials means the username and password do not name an active
// user. It does not say which part was wrong, on purpose.
var ErrBadCredentials = errors.New("wrong username or password")

// Authenticate returns the active user with this username and password. An
// unknown username costs one hash check like a wrong password, so response
// times do not reveal which usernames exist. A hash made with older costs is
// upgraded on the way.
func Authenticate(tx *gorm.DB, username, password string) (models.User, error) {
	u, err := models.UserByUsername(tx, username)
	if errors.Is(err, models.ErrNotFound) {
		CheckPassword(dummyHash, password)
		return models.User{}, ErrBadCredentials
	}
	if err != nil {
		return models.User{}, fmt.Errorf("authenticate %q: %w", username, err)
	}
	if !CheckPassword(u.Password, password) || !u.IsActive {
		return models.User{}, ErrBadCredentials
	}
	if NeedsRehash(u.Password) {
		hash, err := HashPassword(password)
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
