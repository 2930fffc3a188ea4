// Package public is the main domain's own site: the landing page, which
// says what the service is, and self-service sign-up, which creates a
// tenant and hands its new owner over to the tenant's admin. Its handlers
// run behind the platform lifecycle (app/web/platform.go): CSRF checked,
// a webctx.Request whose DB is scoped to the platform schema.
package public

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/auth"
	"polls/app/tenant"
	"polls/app/webctx"
)

// The public site's URLs.
const (
	pathLanding = "/"
	pathSignup  = "/signup/"
)

// Deps is what the public site needs, built by `polls serve`.
type Deps struct {
	// Provisioner creates the tenants, the same code path as createtenant
	// (required).
	Provisioner *tenant.Provisioner
	// Hasher hashes the new superuser's password, within the process's
	// bound on concurrent hashes (auth.hash_concurrency); required.
	Hasher *auth.Hasher
	// MainDomain is tenancy.main_domain: a tenant signing up is served on
	// SUBDOMAIN.MainDomain.
	MainDomain string
	// TrialDays is the new tenant's trial (tenancy.trial_days).
	TrialDays int
	// SignupRate is the sign-up attempts one client address may make per
	// hour (tenancy.signup_rate); 0: no limit.
	SignupRate int
	// FormPolicy is the Content-Security-Policy of the pages that hold the
	// sign-up form: the site's own, with form-action also allowing the
	// main domain's subdomains, where a sign-up is redirected. Empty: the
	// site's own, which makes browsers stop at that redirect.
	FormPolicy string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Handler serves the public site.
type Handler struct {
	d     Deps
	rates *addressRates // nil: no limit
}

// New returns the public site's handlers.
func New(d Deps) *Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	h := &Handler{d: d}
	if d.SignupRate > 0 {
		h.rates = newAddressRates(d.SignupRate, time.Hour, d.Now)
	}
	return h
}

// Register mounts the public site's pages on g, the group behind the
// platform lifecycle.
func (h *Handler) Register(g *echo.Group) {
	g.Match([]string{http.MethodGet, http.MethodHead}, pathLanding, webctx.Handle(h.landing), h.formPolicy)
	g.POST(pathSignup, webctx.Handle(h.signup), h.formPolicy)
	g.GET(pathSignup, func(c echo.Context) error { return c.Redirect(http.StatusFound, pathLanding+"#signup") })
}

// formPolicy sets Deps.FormPolicy on the pages that hold the form.
func (h *Handler) formPolicy(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if h.d.FormPolicy != "" {
			c.Response().Header().Set("Content-Security-Policy", h.d.FormPolicy)
		}
		return next(c)
	}
}
