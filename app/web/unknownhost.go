package web

import (
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"polls/app/tenant"
)

// unknownHosts answers a host no tenant has. Every unknown host is a 404
// (errors.go) unless tenancy.unknown_host is redirect: then a subdomain of
// the main domain (a mistyped or not yet signed-up site) is sent to the
// landing page, where it can be signed up for. Other hosts stay a 404, so
// polls never redirects to a domain a stranger's Host header named.
type unknownHosts struct {
	mainDomain string // tenancy.main_domain; "" never redirects
	redirect   bool
	proxies    proxies
}

// answer returns err, or redirects when err is an unknown subdomain of the
// main domain and redirecting is on.
func (u unknownHosts) answer(c echo.Context, err error) error {
	var unknown *tenant.UnknownHostError
	if !u.redirect || u.mainDomain == "" || !errors.As(err, &unknown) {
		return err
	}
	req := c.Request()
	if !strings.HasSuffix(tenant.HostFromRequest(req.Host), "."+u.mainDomain) {
		return err
	}
	scheme, host := "http", u.mainDomain
	if u.proxies.secure(req) {
		scheme = "https"
	}
	if _, port, perr := net.SplitHostPort(req.Host); perr == nil && port != "" {
		host = net.JoinHostPort(host, port)
	}
	return c.Redirect(http.StatusFound, scheme+"://"+host+"/")
}
