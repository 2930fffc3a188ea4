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

// securityHeaderValues are the browser protections every response carries,
// by canonical header name. Each value is one slice shared by every
// response, assigned rather than made by Header.Set (five allocations a
// request fewer): nothing writes into a header's value slice in place; a
// handler that wants another value calls Set, which replaces the slice, and
// Add copies it first (its capacity is its length). TestSharedHeaderValues
// checks that.
var securityHeaderValues = [...]struct {
	name  string
	value []string
}{
	{"Content-Security-Policy", []string{contentSecurityPolicy}},
	{"X-Frame-Options", []string{"DENY"}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"same-origin"}},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
}

// securityHeaders sets the browser protections on every response, error pages
// and static files included. They are set before the handler runs, so a
// handler may still tighten them.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		for _, v := range securityHeaderValues {
			h[v.name] = v.value[:1:1]
		}
		return next(c)
	}
}

// privatePage marks a tenant page as one visitor's: every one of them may
// carry that visitor's CSRF token or session, so no shared cache may keep
// it, nor answer another visitor from it (Django's Vary: Cookie). A page
// that chose its own Cache-Control (the admin's no-store) keeps it.
func privatePage(h http.Header) {
	if _, ok := h["Vary"]; ok {
		h.Add("Vary", "Cookie")
	} else {
		h["Vary"] = varyCookie[:1:1] // shared, as securityHeaderValues
	}
	if h.Get("Cache-Control") == "" {
		h["Cache-Control"] = cachePrivate[:1:1]
	}
}

// The values privatePage sets, shared by every response (see securityHeaderValues).
var varyCookie, cachePrivate = []string{"Cookie"}, []string{"private"}
