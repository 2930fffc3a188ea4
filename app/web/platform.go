package web

import (
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/platformadmin"
	"polls/app/public"
	"polls/app/tenant"
	"polls/app/webctx"
)

// platform is the request lifecycle of the main domain's pages (the landing
// page, sign-up, the platform admin). It is a tenant's (sites) without the
// tenant: the whole body read and the CSRF token checked first, then the
// handler run in one transaction whose search_path is the platform schema
// (tenant.PlatformSchema) as polls' own user, its response held until
// COMMIT. The registry is reached through app/tenant, which names
// public.tenants itself. The platform has its own share of the pool, as a
// tenant has, so a flood on the public site cannot take the tenants'
// connections. Handlers behind it follow webctx.Request's rule.
type platform struct {
	runner         *tenant.Runner
	proxies        proxies
	trustedOrigins []string
	maxFields      int
	budget         time.Duration
}

// platformSite is the platform's scope for tenant.Runner: no role, so the
// transaction runs as polls' own user.
var platformSite = tenant.Site{Schema: tenant.PlatformSchema, Name: "polls"}

// newPlatform builds the main domain's lifecycle from d.
func newPlatform(d Deps, runner *tenant.Runner) *platform {
	return &platform{runner: runner, proxies: proxies{nets: d.TrustedProxies}, trustedOrigins: d.TrustedOrigins,
		maxFields: d.Limits.MaxFields, budget: d.Limits.RequestTimeout}
}

func (p *platform) handle(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		r := &webctx.Request{Secure: p.proxies.secure(req), Site: webctx.Site{Name: platformSite.Name, Schema: platformSite.Schema}}
		webctx.Set(c, r)
		if err := guardForm(c, r, p.trustedOrigins, p.maxFields); err != nil {
			return err
		}
		ctx, cancel := withBudget(req.Context(), p.budget)
		defer cancel()
		held := holdResponse(c, r, next)
		defer held.restore() // also when the handler panics
		if err := p.runner.Run(ctx, platformSite, idempotent(req.Method), held.work); err != nil {
			return err
		}
		return held.send()
	}
}

// registerPublicRoutes mounts the main domain's pages on g, which is behind
// the platform lifecycle: the landing page and sign-up (app/public), and
// the platform admin at /admin/ (app/platformadmin).
func registerPublicRoutes(g *echo.Group, pub *public.Handler, pa *platformadmin.Handler) {
	pub.Register(g)
	pa.Mount(g)
}
