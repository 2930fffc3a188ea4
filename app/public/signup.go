package public

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/admin"
	"polls/app/auth"
	"polls/app/tenant"
	"polls/app/webctx"
	"polls/views"
)

// createdKey is where signup remembers, in echo's context, the handoff
// URL of the tenant it created for this request.
const createdKey = "polls.public.created"

// signup creates a tenant from the landing page's form and sends its new
// owner to the tenant's admin, logged in there.
//
// The creation is an effect outside r.DB: the provisioner works on
// connections of its own and commits before this handler returns, which
// webctx.Request's rule ("effects go through DB only") forbids because the
// lifecycle may run a handler twice. It is safe here for two reasons. This
// handler sends no query through r.DB, so nothing in its transaction can
// fail with a stale cached plan, and a POST is never run again after a dead
// connection: the runner has no cause to run it twice. And should one
// arise, the outcome is remembered in echo's context (createdKey), which a
// re-run shares, so a second run answers with the same redirect instead of
// creating again or reporting the name as taken (TestSignupRunTwice).
func (h *Handler) signup(c echo.Context, r *webctx.Request) error {
	if target, ok := c.Get(createdKey).(string); ok {
		return c.Redirect(http.StatusSeeOther, target)
	}
	form := readForm(c)
	p := h.page(r, form)
	if h.rates != nil {
		if wait, ok := h.rates.allow(clientAddr(c)); !ok {
			seconds := int64(math.Ceil(wait.Seconds()))
			c.Response().Header().Set("Retry-After", strconv.FormatInt(seconds, 10))
			p.FormError = fmt.Sprintf("Too many sign-ups from your address. Please try again in %s.", inWords(wait))
			return c.Render(http.StatusTooManyRequests, "public/landing", p)
		}
	}
	if p.Errors = form.problems(); len(p.Errors) > 0 {
		return c.Render(http.StatusOK, "public/landing", p)
	}

	// The request's context, bounded by its budget as r.DB is; reading it
	// sends nothing.
	ctx := r.DB.Statement.Context
	// Hashed before the creation, holding no connection while it waits for
	// a hashing slot and works.
	hash, err := h.d.Hasher.Hash(ctx, form.password1)
	if err != nil {
		return err
	}
	token, key, err := auth.NewHandoff()
	if err != nil {
		return err
	}
	now := h.d.Now()
	y, m, d := now.UTC().Date()
	paidUntil := time.Date(y, m, d+h.d.TrialDays, 0, 0, 0, 0, time.UTC)
	domain := form.Subdomain + "." + h.d.MainDomain
	owner := newOwner{username: form.Username, email: form.Email, hash: hash, handoffKey: key, now: now}
	err = h.d.Provisioner.Create(ctx, tenant.NewTenant{
		Schema: schemaFor(form.Subdomain), Domain: domain, Name: form.SiteName,
		PaidUntil: &paidUntil, OnTrial: true, Fill: owner.fill,
	})
	var exists *tenant.ExistsError
	if errors.As(err, &exists) { // a tenant has the schema or domain, or is being created with it
		p.Errors.add("subdomain", msgSubdomainTaken)
		return c.Render(http.StatusOK, "public/landing", p)
	}
	if err != nil {
		return err
	}
	target := siteURL(r.Secure, c.Request().Host, domain) + admin.HandoffURL(token)
	c.Set(createdKey, target)
	return c.Redirect(http.StatusSeeOther, target)
}

// siteURL is the new site's origin, with the scheme and port the visitor
// reached the main domain with (mainHost is the request's Host header).
func siteURL(secure bool, mainHost, domain string) string {
	scheme := "http"
	if secure {
		scheme = "https"
	}
	if _, port, err := net.SplitHostPort(mainHost); err == nil && port != "" {
		domain = net.JoinHostPort(domain, port)
	}
	return scheme + "://" + domain
}

// clientAddr is the visitor's address as echo's IPExtractor gives it, which
// believes X-Forwarded-For from server.trusted_proxies only.
func clientAddr(c echo.Context) string {
	if c.Echo().IPExtractor != nil {
		return c.RealIP()
	}
	return echo.ExtractIPDirect()(c.Request())
}

// inWords is a wait in minutes, or seconds when shorter.
func inWords(wait time.Duration) string {
	if wait >= time.Minute {
		n := int64(math.Ceil(wait.Minutes()))
		return strconv.FormatInt(n, 10) + " " + views.Plural(n, "minute", "minutes")
	}
	n := int64(math.Ceil(wait.Seconds()))
	return strconv.FormatInt(n, 10) + " " + views.Plural(n, "second", "seconds")
}
