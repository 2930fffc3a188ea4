package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"polls/models"
)

// CookieName is the session cookie, under Django's name.
const CookieName = "sessionid"

// DefaultMaxAge is how long a login lasts unless configured: Django's two weeks.
const DefaultMaxAge = 14 * 24 * time.Hour

// ErrNoSession means the request carries no live session: no cookie, an
// unknown or expired token, or one issued by another site (whose sessions
// live in another schema, so the token is simply not found).
var ErrNoSession = errors.New("no session")

// Sessions issues and checks server-side login sessions. The cookie holds only
// a random token; the table holds its SHA-256, the user and the expiry.
type Sessions struct {
	MaxAge time.Duration
	Now    func() time.Time // the clock; tests may stop it
}

// NewSessions returns Sessions lasting maxAge (DefaultMaxAge when zero).
func NewSessions(maxAge time.Duration) *Sessions {
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	return &Sessions{MaxAge: maxAge, Now: time.Now}
}

// Login starts a session for u with a token never seen before (so a token
// planted before login is worthless after it), ends the request's previous
// session, and records the login time. Expired sessions are swept here, so
// the table stays as small as the number of live logins. secure marks the
// cookie Secure: the visitor came over TLS, directly or through a trusted
// proxy (webctx.Request.Secure), which only the web layer can tell.
func (s *Sessions) Login(c echo.Context, tx *gorm.DB, u models.User, secure bool) error {
	now := s.Now()
	if err := models.DeleteExpiredSessions(tx, now); err != nil {
		return fmt.Errorf("log in %s: %w", u.Username, err)
	}
	if _, err := s.start(c, tx, models.Session{UserID: u.ID}, now, secure); err != nil {
		return fmt.Errorf("log in %s: %w", u.Username, err)
	}
	if err := models.SetLastLogin(tx, u.ID, now); err != nil {
		return fmt.Errorf("log in %s: %w", u.Username, err)
	}
	return nil
}

// Rotate moves the request's session cur to a new token, as Django's
// update_session_auth_hash does after a password change: the browser gets
// the new cookie and stays logged in (its pending message too), while a
// copy of the old token, taken before the change, no longer works. It
// returns the new session.
func (s *Sessions) Rotate(c echo.Context, tx *gorm.DB, cur models.Session, secure bool) (models.Session, error) {
	next := models.Session{UserID: cur.UserID, Flash: cur.Flash, FlashLevel: cur.FlashLevel}
	sess, err := s.start(c, tx, next, s.Now(), secure)
	if err != nil {
		return sess, fmt.Errorf("rotate session: %w", err)
	}
	return sess, nil
}

// start ends the request's session, if any, and stores sess (its user and
// message) under a fresh token, set as the cookie.
func (s *Sessions) start(c echo.Context, tx *gorm.DB, sess models.Session, now time.Time, secure bool) (models.Session, error) {
	if old := cookieToken(c); old != "" {
		if err := models.DeleteSession(tx, hashToken(old)); err != nil {
			return sess, err
		}
	}
	token, err := newToken()
	if err != nil {
		return sess, err
	}
	sess.Key, sess.CreatedAt, sess.ExpireDate = hashToken(token), now, now.Add(s.MaxAge)
	if err := models.CreateSession(tx, sess); err != nil {
		return sess, err
	}
	c.SetCookie(&http.Cookie{
		Name: CookieName, Value: token, Path: "/",
		Expires: sess.ExpireDate, MaxAge: int(s.MaxAge / time.Second),
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	})
	return sess, nil
}

// Current returns the request's live session and its user, or ErrNoSession.
// Whether the user may do anything is the caller's decision.
func (s *Sessions) Current(c echo.Context, tx *gorm.DB) (models.Session, models.User, error) {
	token := cookieToken(c)
	if token == "" {
		return models.Session{}, models.User{}, ErrNoSession
	}
	sess, u, err := models.SessionWithUser(tx, hashToken(token), s.Now())
	if errors.Is(err, models.ErrNotFound) {
		return sess, u, ErrNoSession
	}
	if err != nil {
		return sess, u, fmt.Errorf("current session: %w", err)
	}
	return sess, u, nil
}

// Logout deletes the request's session and tells the browser to forget it.
func (s *Sessions) Logout(c echo.Context, tx *gorm.DB, secure bool) error {
	if token := cookieToken(c); token != "" {
		if err := models.DeleteSession(tx, hashToken(token)); err != nil {
			return fmt.Errorf("log out: %w", err)
		}
	}
	c.SetCookie(&http.Cookie{
		Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	})
	return nil
}

// tokenLen is the length of an encoded token: 32 random bytes in base64url.
const tokenLen = 43

func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make session token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// cookieToken returns the request's session token, or "" for none or one
// that cannot be ours.
func cookieToken(c echo.Context) string {
	ck, err := c.Cookie(CookieName)
	if err != nil || len(ck.Value) != tokenLen {
		return ""
	}
	return ck.Value
}

// hashToken is the session's key in the table. A plain SHA-256 suffices: the
// token has 256 random bits, so there is nothing to brute-force.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
