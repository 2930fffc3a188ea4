package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"polls/app/auth"
	"polls/app/database"
	"polls/app/dbmigrate"
	"polls/app/tenant"
	"polls/app/web"
	"polls/migrations"
	"polls/views"
)

func serveCommand() *Command {
	return &Command{
		Name:    "serve",
		Usage:   "[--addr HOST:PORT]",
		Summary: "serve every tenant's site over HTTP until SIGINT or SIGTERM",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			addr := fs.String("addr", "", "listen address (default from config: 127.0.0.1:8080)")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 {
					return usageError("serve takes only flags, got %q", strings.Join(args, " "))
				}
				// GOGC stays Go's default (100): a target of 200 % served about 2 %
				// more requests/s for 5 MB more resident memory (README, "Benchmarks").
				rt, err := inv.start(ctx, startOptions{addr: *addr, serving: true})
				if err != nil {
					return err
				}
				defer rt.close()
				if inv.Getenv("GOMEMLIMIT") == "" {
					debug.SetMemoryLimit(memoryLimit(rt.cfg.HashSlots()))
				}
				return serve(ctx, inv.Stdout, rt)
			}
		},
	}
}

// memoryLimit is serve's soft memory limit for the garbage collector. Each
// running password hash holds 19 MiB that is garbage as soon as it ends; with
// the GC target at 100 % a flood of logins could pile up twice what lives
// before a collection. The limit (a base, plus twice the memory of
// every hashing slot) makes the collector run sooner then, and only then:
// ordinary pages stay far below it. Above it, GOGC still applies.
func memoryLimit(hashSlots int) int64 {
	const base = 32 << 20
	return base + 2*int64(hashSlots)*auth.HashMemory
}

// serve runs the HTTP server until ctx ends, then shuts down gracefully:
// in-flight requests finish, new ones are refused.
func serve(ctx context.Context, out io.Writer, rt *runtime) error {
	cfg, db, log := rt.cfg, rt.db, rt.log
	resolver := tenant.NewResolver(db.SQL, db.URL, log)
	if err := resolver.Reload(ctx); err != nil {
		return registryMissing(err)
	}
	listenCtx, stopListen := context.WithCancel(ctx)
	defer stopListen()
	go resolver.Listen(listenCtx)

	set, err := views.Parse()
	if err != nil {
		return err
	}
	if warning, err := database.CheckCapacity(ctx, db, cfg.PoolSize()); err != nil {
		log.Warn("could not compare the pool with the server's connection limit", "err", err)
	} else if warning != "" {
		log.Warn(warning)
	}
	probe := &database.Probe{URL: db.URL}
	defer probe.Close()
	needs, err := dbmigrate.Latest(migrations.Tenant())
	if err != nil {
		return err
	}
	m, err := newObserver(rt, resolver)
	if err != nil {
		return err
	}
	handler := web.New(web.Deps{
		DB: db, Resolver: resolver, Views: set, Log: log, Isolation: rt.mode, SessionMaxAge: cfg.Session.MaxAge,
		Limits:         web.LimitsFrom(cfg),
		TrustedOrigins: cfg.Server.TrustedOrigins,
		TrustedProxies: cfg.Server.ProxyNets(),
		Hasher:         auth.NewHasher(cfg.HashSlots()),
		Ready:          probe.Check,
		TenantVersion:  int64(needs),
		RequestLog:     cfg.RequestLog(),
		Observer:       observer(m),
		MainDomain:     cfg.Tenancy.MainDomain,
		Provisioner:    rt.provisioner(),
		Signup:         web.SignupFrom(cfg),
	})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	ln = web.LimitPerClient(ln, cfg.Server.MaxConnsPerClient, log)
	stopMetrics, err := serveMetrics(cfg.Server.MetricsAddr, m, out, log)
	if err != nil {
		ln.Close()
		return err
	}
	// Metrics are stopped last, so a scrape still sees the shutdown's requests.
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := stopMetrics(stopCtx); err != nil {
			log.Warn("stopping the metrics listener", "err", err)
		}
	}()
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	printSites(out, ln.Addr().String(), resolver.Sites())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// printSites tells a newcomer where to click.
func printSites(w io.Writer, addr string, sites []tenant.Site) {
	_, port, _ := net.SplitHostPort(addr)
	fmt.Fprintf(w, "polls: listening on http://%s/ with %d tenants\n", addr, len(sites))
	const shown = 5
	for i, s := range sites {
		if i == shown {
			fmt.Fprintf(w, "  ... and %d more (polls tenants lists them)\n", len(sites)-shown)
			break
		}
		fmt.Fprintf(w, "  %-24s http://%s:%s/  (admin: http://%s:%s/admin/)\n", s.Name, s.Domain, port, s.Domain, port)
	}
	if len(sites) == 0 {
		fmt.Fprintln(w, "  no tenants yet: polls createtenant --domain client1.localhost --schema client1")
	}
}
