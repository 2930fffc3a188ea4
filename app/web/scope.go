package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/i18n"
	"polls/app/tenant"
	"polls/app/webctx"
)

// sites is the request lifecycle of every tenant page, in one place:
//
//  1. the Host header names the tenant (from memory; never another tenant),
//     and a tenant whose schema is not at the version this code needs (being
//     migrated, failed, or behind) gets the maintenance page instead;
//  2. the tenant's request rate is checked (when a limit is set);
//  3. the whole body is read and the CSRF token checked, so that nothing
//     waits on a slow client while holding the database;
//  4. the handler runs in the tenant's transaction (tenant.Runner), whose
//     connection is taken at the first query, within the request's budget
//     and the tenant's share of the pool;
//  5. its response is held in memory and sent only once COMMIT succeeded, so
//     no success page is ever sent for work rolled back, and no connection
//     waits on a slow reader.
//
// Handlers behind it may be run more than once for one request (tenant.Work
// says when): their effects must go through the request's database handle
// only, and their response is written to a buffer that a re-run discards.
type sites struct {
	resolver *tenant.Resolver
	runner   *tenant.Runner
	rates    *tenantRates // nil: no per-tenant rate limit
	proxies  proxies      // whose forwarding headers are believed
	// trustedOrigins may post forms besides the site itself (scheme://host).
	trustedOrigins []string
	maxFields      int // form fields a post may have; 0: no limit
	// budget bounds a request's database work: the wait for a connection,
	// every statement and lock wait. Zero: unbounded.
	budget time.Duration
	// needs is the tenant migration version this code needs; 0: any.
	needs int64
	// unknown answers an unknown subdomain of the main domain.
	unknown unknownHosts
}

func (s *sites) handle(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		site, err := s.resolver.Resolve(req.Context(), req.Host)
		if err != nil {
			return s.unknown.answer(c, err)
		}
		r := &webctx.Request{Secure: s.proxies.secure(req), Site: webctx.Site{Name: site.Name, Schema: site.Schema,
			Suspended: site.Plan.SuspendedAt(time.Now()), OnTrial: site.Plan.OnTrial,
			Lang: i18n.Negotiate(i18n.Lang(site.Language.Own), site.Language.Any, req.Header.Get("Accept-Language"))}}
		webctx.Set(c, r)
		if site.Version.UnderMaintenance(s.needs) {
			return &maintenanceError{version: site.Version, needs: s.needs}
		}
		if s.rates != nil {
			if err := s.rates.allow(site.Schema); err != nil {
				return err
			}
		}
		if err := guardForm(c, r, s.trustedOrigins, s.maxFields); err != nil {
			return err
		}
		ctx, cancel := withBudget(req.Context(), s.budget)
		defer cancel()
		held := holdResponse(c, r, next)
		defer held.restore() // also when the handler panics
		err = s.runner.Run(ctx, site, idempotent(req.Method), held.work)
		if tenant.MaybeGone(err) {
			err = s.afterVanished(req, site, err, func(fresh tenant.Site) error {
				return s.runner.Run(ctx, fresh, idempotent(req.Method), held.work)
			})
		}
		if err != nil {
			return err
		}
		return held.send()
	}
}

// afterVanished answers a request whose tenant's role, schema or tables were
// not there (tenant.MaybeGone) under its cached route, after asking the
// registry itself once: a tenant deleted meanwhile is the unknown-host
// answer it now is; a tenant renamed meanwhile (another schema or role for
// the host) runs the request again there with rerun. That is safe for any
// method: the failed transaction was rolled back, and handlers may be run
// again (webctx.Request says so) as after a stale plan. Otherwise the error
// stands.
func (s *sites) afterVanished(req *http.Request, site tenant.Site, err error, rerun func(tenant.Site) error) error {
	fresh, rerr := s.resolver.Recheck(req.Context(), req.Host)
	var unknown *tenant.UnknownHostError
	switch {
	case errors.As(rerr, &unknown):
		return rerr
	case rerr != nil || fresh.Schema == site.Schema && fresh.Role == site.Role:
		return err
	}
	return rerun(fresh)
}

// idempotent reports whether a request may be run again from the start.
func idempotent(method string) bool {
	return method == http.MethodGet || method == http.MethodHead
}

// siteOf is the site the lifecycle resolved for c, for logs and the error
// page; the zero Site when it resolved none.
func siteOf(c echo.Context) webctx.Site {
	if r, ok := webctx.From(c); ok {
		return r.Site
	}
	return webctx.Site{}
}
