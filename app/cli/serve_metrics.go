package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"polls/app/metrics"
	"polls/app/tenant"
	"polls/app/web"
)

// newObserver builds the metrics of serve when server.metrics_addr is set;
// without it, no request pays for counting (nil, nil).
func newObserver(rt *runtime, resolver *tenant.Resolver) (*metrics.Metrics, error) {
	if rt.cfg.Server.MetricsAddr == "" {
		return nil, nil
	}
	return metrics.New(metrics.Deps{DB: rt.db.SQL, Sites: resolver, Affinity: rt.db.Affinity})
}

// observer is m as web's Observer; nil (no metrics) stays a nil interface.
func observer(m *metrics.Metrics) web.Observer {
	if m == nil {
		return nil
	}
	return m
}

// serveMetrics serves m at /metrics on addr, a listener of its own: the main
// listener routes every path to a tenant, and a tenant's visitors must not
// read the whole installation's figures. It says where on out, and returns
// the function that stops it, gracefully within ctx. Without metrics (m nil)
// it does nothing.
func serveMetrics(addr string, m *metrics.Metrics, out io.Writer, log *slog.Logger) (stop func(context.Context) error, err error) {
	if m == nil {
		return func(context.Context) error { return nil }, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s (server.metrics_addr): %w", addr, err)
	}
	srv := &http.Server{
		Handler:           m.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(out, "polls: metrics on http://%s/metrics\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	return func(ctx context.Context) error {
		if err := srv.Shutdown(ctx); err != nil {
			return fmt.Errorf("shut down metrics: %w", err)
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve metrics: %w", err)
		}
		return nil
	}, nil
}
