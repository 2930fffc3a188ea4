// Package admin is each tenant's admin site, laid out like Django's: log in,
// manage questions with their choices and (for superusers) users, and see the
// recent actions. It knows nothing of tenancy: every handler works on the
// scoped database handle it receives (webctx.Request.DB), so a tenant's admin
// can only ever see and change that tenant's data, and its users and sessions
// are that tenant's own.
package admin

import (
	"runtime"
	"time"

	"polls/app/auth"
)

// Handler serves the admin pages.
type Handler struct {
	sessions *auth.Sessions
	throttle *auth.Throttle
	hasher   *auth.Hasher
	now      func() time.Time
}

// Config is what New needs; zero fields take defaults.
type Config struct {
	SessionMaxAge time.Duration    // how long a login lasts; auth.DefaultMaxAge when zero
	Throttle      *auth.Throttle   // shared by every tenant of the process; auth.NewThrottle() when nil
	Hasher        *auth.Hasher     // shared by every tenant of the process; one slot per CPU when nil
	Now           func() time.Time // the clock; time.Now when nil
}

// New returns the admin's handlers.
func New(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Throttle == nil {
		cfg.Throttle = auth.NewThrottle()
	}
	if cfg.Hasher == nil {
		cfg.Hasher = auth.NewHasher(runtime.NumCPU())
	}
	sessions := auth.NewSessions(cfg.SessionMaxAge)
	sessions.Now = cfg.Now
	return &Handler{sessions: sessions, throttle: cfg.Throttle, hasher: cfg.Hasher, now: cfg.Now}
}
