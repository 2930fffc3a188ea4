package web

import (
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
)

// proxies decides what a request's forwarding headers may tell polls: only
// a direct peer inside one of the ranges of server.trusted_proxies is
// believed. Anyone else could claim any address (and so buy fresh login
// attempts) or claim HTTPS.
type proxies struct {
	nets []*net.IPNet
}

// extractor is echo's IPExtractor for these proxies: the direct peer when
// none is trusted, whatever the headers say; otherwise the nearest
// X-Forwarded-For address outside the trusted ranges. echo trusts loopback,
// link-local and private addresses unless told not to; they are turned off,
// so that a client on polls' own network cannot pick its address either.
func (p proxies) extractor() echo.IPExtractor {
	if len(p.nets) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range p.nets {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// trusts reports whether the request's direct peer is a trusted proxy.
func (p proxies) trusts(req *http.Request) bool {
	ip := net.ParseIP(echo.ExtractIPDirect()(req))
	for _, n := range p.nets {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// secure reports whether the visitor reached polls over TLS: directly, or
// through a trusted proxy saying so with X-Forwarded-Proto (its first value,
// the scheme the client used, as Django reads SECURE_PROXY_SSL_HEADER).
func (p proxies) secure(req *http.Request) bool {
	if req.TLS != nil {
		return true
	}
	if !p.trusts(req) {
		return false
	}
	proto, _, _ := strings.Cut(req.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

// isSecure reports whether the visitor reached polls over TLS, as the
// lifecycle decided it for the request (webctx.Request.Secure): cookies are
// then marked Secure and CSRF checks the Referer as Django does on HTTPS.
// Every cookie and check of a request asks here, so they cannot disagree.
func isSecure(c echo.Context) bool {
	if r, ok := webctx.From(c); ok {
		return r.Secure
	}
	return c.Request().TLS != nil
}
