// Package web assembles the HTTP application: middleware, routes, rendering and
// the one place where errors become responses.
package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"polls/app/admin"
	"polls/app/auth"
	"polls/app/config"
	"polls/app/database"
	"polls/app/platformadmin"
	"polls/app/public"
	"polls/app/tenant"
	"polls/static"
	"polls/views"
)

// Deps is everything the application needs, built by `polls serve` (and tests).
type Deps struct {
	DB       *database.DB
	Resolver *tenant.Resolver
	Views    *views.Set
	Log      *slog.Logger
	// Isolation says whether requests run as their tenant's role; the zero
	// value means roles.
	Isolation tenant.Isolation
	// SessionMaxAge is how long an admin login lasts; zero means two weeks.
	SessionMaxAge time.Duration
	// Limits bound what one request, one tenant may take; the zero value
	// sets none (serve always passes config.yaml's).
	Limits Limits
	// TrustedOrigins may post forms to every site besides the site itself
	// (server.trusted_origins: scheme://host, lowercase).
	TrustedOrigins []string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (server.trusted_proxies); none when empty.
	TrustedProxies []*net.IPNet
	// Throttle counts failed admin logins, shared by every tenant of the
	// process; nil means auth.NewThrottle() (tests pass one with a clock).
	Throttle *auth.Throttle
	// Hasher runs the admin's password hashes, a bounded number at once for
	// the whole process (auth.hash_concurrency); nil means one per CPU.
	Hasher *auth.Hasher
	// TenantVersion is the tenant migration version this code needs
	// (serve passes the latest embedded one): a tenant behind it, or being
	// migrated, or whose migration failed, gets the maintenance page. Zero
	// serves every tenant whatever its version.
	TenantVersion int64
	// Ready checks the database for /readyz on a connection of its own (so
	// it never queues behind visitors); nil pings the pool.
	Ready func(context.Context) error
	// RequestLog chooses the access log (log.requests); the zero value logs
	// every request.
	RequestLog config.RequestLog
	// Observer is told of every request and refusal (app/metrics); nil: nobody.
	Observer Observer
	// MainDomain is the host (and www. of it) of the public site, which the
	// platform schema serves (tenancy.main_domain); empty: none, and that
	// host is unknown like any other.
	MainDomain string
	// Provisioner creates tenants for the main domain's pages (sign-up, the
	// platform admin), the same code path as createtenant; serve passes the
	// one the settings describe.
	Provisioner *tenant.Provisioner
	// Signup is the public site's sign-up settings (tenancy.signup_rate,
	// trial_days, unknown_host); SignupFrom reads them.
	Signup Signup
}

// Limits are the request limits of config.yaml (server.* and tenancy.*).
type Limits struct {
	// RequestTimeout bounds a request's database work: the wait for a
	// connection, each statement, each lock wait. Zero: unbounded.
	RequestTimeout time.Duration
	// MaxConnsPerTenant caps the connections one tenant holds at once, and
	// QueuePerTenant how many of its requests may wait for one. Zero: no cap.
	MaxConnsPerTenant int
	QueuePerTenant    int
	// RateLimit is each tenant's requests per second; zero: no limit.
	RateLimit float64
	// MaxFields is how many query parameters, and form fields, a request
	// may have (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS); zero: no limit.
	MaxFields int
}

// New returns the application: every tenant's site, and on the main domain
// (Deps.MainDomain) the public site, each an echo application of its own so
// that one path (/admin/) can mean a tenant's admin on a tenant's host and
// the platform admin on the main domain.
func New(d Deps) http.Handler {
	access := &accessLog{log: d.Log, policy: d.RequestLog, obs: d.Observer, pages: &pages{}}
	if access.obs == nil {
		access.obs = noObserver{}
	}
	e := newEcho(d, access)
	runner := newRunner(d) // one pool, one share per tenant and one for the platform
	site := e.Group("", newSites(d, runner).handle)
	// One login throttle for the process, shared by every tenant's admin.
	throttle := d.Throttle
	if throttle == nil {
		throttle = auth.NewThrottle()
	}
	// One hasher for the process: the admins' logins and sign-up share its slots.
	if d.Hasher == nil {
		d.Hasher = auth.NewHasher(runtime.NumCPU())
	}
	adm := admin.New(admin.Config{SessionMaxAge: d.SessionMaxAge, Throttle: throttle, Hasher: d.Hasher})
	registerRoutes(site, adm)
	site.RouteNotFound("/*", appendSlash(e))
	answerWrongMethods(e)
	access.pages.learn(e.Routes())
	if d.MainDomain == "" {
		return e
	}

	publicAccess := &accessLog{log: d.Log, policy: d.RequestLog, obs: access.obs, pages: &pages{public: true}}
	p := newEcho(d, publicAccess)
	main := p.Group("", newPlatform(d, runner).handle)
	registerPublicRoutes(main,
		public.New(public.Deps{Provisioner: d.Provisioner, Hasher: d.Hasher, MainDomain: d.MainDomain,
			TrialDays: d.Signup.TrialDays, SignupRate: d.Signup.RatePerHour, FormPolicy: signupPolicy(d.MainDomain)}),
		platformadmin.New(platformadmin.Config{Admin: adm, DB: d.DB.SQL, Provisioner: d.Provisioner, TenantVersion: d.TenantVersion, Log: d.Log}))
	main.RouteNotFound("/*", appendSlash(p))
	answerWrongMethods(p)
	publicAccess.pages.learn(p.Routes())
	return byHost{main: d.MainDomain, public: p, sites: e}
}

// newEcho returns an echo application with what every site has: rendering,
// the one error handler, the access log and safety middleware, the health
// checks and the static files.
func newEcho(d Deps, access *accessLog) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Renderer = renderer{views: d.Views}
	e.HTTPErrorHandler = errorHandler(d.Views, d.Log)
	e.IPExtractor = proxies{nets: d.TrustedProxies}.extractor()

	e.Use(access.middleware)
	e.Use(securityHeaders)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, DisablePrintStack: true}))
	e.Use(middleware.BodyLimit("1M"))
	e.Use(saneRequest(d.Limits.MaxFields))

	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	ready := d.Ready
	if ready == nil {
		ready = d.DB.SQL.PingContext
	}
	e.GET("/readyz", readyz(ready))
	assets := staticFiles(static.FS)
	e.GET("/static/*", assets)
	e.HEAD("/static/*", assets)
	return e
}

// LimitsFrom reads the request limits from the settings, defaults applied.
func LimitsFrom(cfg config.Config) Limits {
	return Limits{
		RequestTimeout:    cfg.Server.RequestTimeout,
		MaxConnsPerTenant: cfg.PerTenantConns(),
		QueuePerTenant:    cfg.PerTenantQueue(),
		RateLimit:         cfg.Tenancy.RateLimit,
		MaxFields:         cfg.Server.MaxFields,
	}
}

// newSites builds the tenant request lifecycle from d.
func newSites(d Deps, runner *tenant.Runner) *sites {
	s := &sites{resolver: d.Resolver, runner: runner, budget: d.Limits.RequestTimeout, trustedOrigins: d.TrustedOrigins,
		maxFields: d.Limits.MaxFields, proxies: proxies{nets: d.TrustedProxies}, needs: d.TenantVersion,
		unknown: unknownHosts{mainDomain: d.MainDomain, redirect: d.Signup.RedirectUnknown, proxies: proxies{nets: d.TrustedProxies}}}
	if d.Limits.RateLimit > 0 {
		s.rates = newTenantRates(d.Limits.RateLimit)
	}
	return s
}

// newRunner is the runner of request transactions: the request budget, and
// each tenant's (and the platform's) share of the pool.
func newRunner(d Deps) *tenant.Runner {
	runner := &tenant.Runner{SQL: d.DB.SQL, Gorm: d.DB.Gorm, Isolation: d.Isolation, Timeout: d.Limits.RequestTimeout,
		Affinity: d.DB.Affinity}
	if d.Limits.MaxConnsPerTenant > 0 {
		runner.Shares = tenant.NewShares(d.Limits.MaxConnsPerTenant, d.Limits.QueuePerTenant)
	}
	return runner
}

// readyTimeout bounds /readyz: a load balancer asking must get an answer.
const readyTimeout = 2 * time.Second

// readyz answers 200 when the database answers, else 503 saying what is wrong.
func readyz(check func(context.Context) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), readyTimeout)
		defer cancel()
		if err := check(ctx); err != nil {
			reason := "the database did not answer within " + readyTimeout.String()
			if r, ok := databaseUnavailable(err); ok {
				reason = r
			}
			return c.String(http.StatusServiceUnavailable, "not ready: "+reason+"\n")
		}
		return c.String(http.StatusOK, "ok\n")
	}
}
