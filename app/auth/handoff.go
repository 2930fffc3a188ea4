package auth

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"polls/models"
)

// HandoffTTL is how long a handoff token lives: long enough for the
// redirect that carries it, short enough that a copy of the URL (browser
// history, a proxy's log) is worthless soon after.
const HandoffTTL = 60 * time.Second

// NewHandoff makes the token that carries a login from one host to another
// (sign-up on the main domain to the new tenant's admin), where no cookie
// may follow: a session of HandoffTTL whose token travels once in a URL and
// is exchanged there for a session of the host's own (TakeHandoff). It
// returns the token, and the session row's key (its SHA-256, as every
// session's) for the caller to store, with the user, in the tenant's
// django_session, expiring HandoffTTL from now.
func NewHandoff() (token, key string, err error) {
	token, err = newToken()
	if err != nil {
		return "", "", fmt.Errorf("new handoff: %w", err)
	}
	return token, hashToken(token), nil
}

// TakeHandoff consumes the handoff token: the session it names is deleted,
// once (of two requests racing, one wins), and its user returned. An
// unknown, expired, used or malformed token, or one of another site (whose
// sessions live in another schema), is ErrNoSession. The caller then logs
// the user in (Login), which gives this host a session of its own.
func (s *Sessions) TakeHandoff(tx *gorm.DB, token string) (models.User, error) {
	if len(token) != tokenLen {
		return models.User{}, ErrNoSession
	}
	sess, err := models.TakeSession(tx, hashToken(token), s.Now())
	if errors.Is(err, models.ErrNotFound) {
		return models.User{}, ErrNoSession
	}
	if err != nil {
		return models.User{}, fmt.Errorf("take handoff: %w", err)
	}
	u, err := models.UserByID(tx, sess.UserID)
	if errors.Is(err, models.ErrNotFound) {
		return u, ErrNoSession
	}
	if err != nil {
		return u, fmt.Errorf("take handoff: %w", err)
	}
	return u, nil
}
