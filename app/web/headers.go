package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// contentSecurityPolicy allows the site's own styles and images only: no
// script at all (the pages need none), no framing, forms posted only here.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// signupPolicy is contentSecurityPolicy for the main domain's pages that
// hold the sign-up form: a successful sign-up is redirected to the new
// tenant's host, and browsers apply form-action to a form's redirects too,
// so the form may also end on any subdomain of the main domain.
func signupPolicy(mainDomain string) string {
	return strings.Replace(contentSecurityPolicy, "form-action 'self'", "form-action 'self' *."+mainDomain+":*", 1)
}

// securityHeaders sets the browser protections on every response, error pages
// and static files included. They are set before the handler runs, so a
// handler may still tighten them.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		return next(c)
	}
}

// privatePage marks a tenant page as one visitor's: every one of them may
// carry that visitor's CSRF token or session, so no shared cache may keep
// it, nor answer another visitor from it (Django's Vary: Cookie). A page
// that chose its own Cache-Control (the admin's no-store) keeps it.
func privatePage(h http.Header) {
	h.Add("Vary", "Cookie")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "private")
	}
}
