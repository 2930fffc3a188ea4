package web

import (
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/polls"
	"polls/app/tenant"
)

// Observer is told of every request once its answer is final, and of every
// request a limit refused (app/metrics counts them). It is called on every
// request: its methods must be cheap and safe for concurrent use. Its labels
// are a fixed few (pages, limits), never a tenant: ten thousand tenants must
// not mean ten thousand series.
type Observer interface {
	// Request is one request answered: its page (pageOf), final status and
	// the time from its first byte read to its answer.
	Request(page string, status int, took time.Duration)
	// Refused is one request a limit refused, named by a Limit* constant.
	Refused(limit string)
}

// The limits a request can be refused by, as Observer.Refused names them.
const (
	LimitRate           = "rate_limit"           // tenancy.rate_limit
	LimitTenantQueue    = "tenant_queue_full"    // the tenant's share and its queue full
	LimitTenantWait     = "tenant_share_wait"    // the tenant's share stayed in use past the budget
	LimitPoolWait       = "pool_wait"            // no pool connection came free within the budget
	LimitRequestTimeout = "request_timeout"      // a statement, lock wait or the request past the budget
	LimitHashSlots      = "hash_slots"           // auth.hash_concurrency
	LimitDatabase       = "database_unavailable" // PostgreSQL refused or dropped connections
	LimitMaintenance    = "maintenance"          // the tenant's schema is not at the code's version
)

// busyKind names the wait a tenant.BusyError gave up on.
func busyKind(l tenant.BusyLimit) string {
	switch l {
	case tenant.BusyQueueFull:
		return LimitTenantQueue
	case tenant.BusyShareWait:
		return LimitTenantWait
	}
	return LimitPoolWait
}

// noObserver is the Observer of a server without metrics.
type noObserver struct{}

func (noObserver) Request(string, int, time.Duration) {}
func (noObserver) Refused(string)                     {}

// pages names each route pattern's page for Observer: a handful of names
// instead of every path visited, so that a scan of random addresses adds no
// series. It is filled once every route is registered, before serving.
type pages struct {
	byPath map[string]string // route pattern (c.Path()) to page
	public bool              // the main domain's routes (publicPage)
}

// learn names the pages of routes.
func (p *pages) learn(routes []*echo.Route) {
	p.byPath = map[string]string{}
	for _, r := range routes {
		if p.public {
			p.byPath[r.Path] = publicPage(r.Path)
			continue
		}
		if name := pollsPage(r.Name); name != "" {
			p.byPath[r.Path] = name
			continue
		}
		if _, ok := p.byPath[r.Path]; !ok {
			p.byPath[r.Path] = pageOfPath(r.Path)
		}
	}
}

// pollsPage names the tutorial's pages by their route name; "" for others.
func pollsPage(route string) string {
	switch route {
	case polls.RouteIndex:
		return "index"
	case polls.RouteDetail:
		return "detail"
	case polls.RouteResults:
		return "results"
	case polls.RouteVote:
		return "vote"
	}
	return ""
}

// pageOfPath names the page of a route pattern that is not one of the
// tutorial's: the admin is one page, assets another.
func pageOfPath(path string) string {
	switch {
	case path == "/admin" || strings.HasPrefix(path, "/admin/"):
		return "admin"
	case strings.HasPrefix(path, "/static/"):
		return "static"
	case path == "/healthz", path == "/readyz":
		return path[1:]
	case path == "/":
		return "root"
	}
	return "other" // no route: not found, wrong method
}

// publicPage names a page of the main domain: its admin is the platform's.
func publicPage(path string) string {
	switch name := pageOfPath(path); name {
	case "admin":
		return "platform_admin"
	case "static", "healthz", "readyz", "other":
		return name
	}
	return "public"
}

// of is c's page; "other" when no route matched.
func (p *pages) of(c echo.Context) string {
	if name, ok := p.byPath[c.Path()]; ok {
		return name
	}
	return "other"
}
