// Package metrics is polls' Prometheus metrics: requests and latency by
// page, the limits acting, the connection pool and its affinity, tenants by state, and the Go
// runtime and process. Its series are labelled by page, status and limit,
// never by tenant: ten thousand tenants must not mean ten thousand series
// each. It is served on a listener of its own (server.metrics_addr), out of
// every tenant's reach.
package metrics

import (
	"database/sql"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"polls/app/database"
)

// Deps is what the metrics read at scrape time.
type Deps struct {
	DB    *sql.DB // the pool whose connections are reported
	Sites Sites   // the tenants routed now
	// Now is the clock deciding which tenants are suspended; nil: time.Now.
	Now func() time.Time
	// Affinity is the pool's connection affinity; nil when it is off.
	Affinity *database.Affinity
}

// Metrics holds polls' series in a registry of its own (not Prometheus'
// global one), so two servers in one process (tests) never share a count.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	refusals *prometheus.CounterVec
}

// New registers every series; it fails only if two collide (a bug).
func New(d Deps) (*Metrics, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.requests, m.latency, m.refusals = requestSeries()
	for _, c := range []prometheus.Collector{
		m.requests, m.latency, m.refusals,
		collectors.NewDBStatsCollector(d.DB, "polls"),
		newTenantsCollector(d.Sites, d.Now),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	} {
		if err := m.registry.Register(c); err != nil {
			return nil, fmt.Errorf("register metrics: %w", err)
		}
	}
	if d.Affinity != nil {
		if err := m.registry.Register(newAffinityCollector(d.Affinity)); err != nil {
			return nil, fmt.Errorf("register metrics: %w", err)
		}
	}
	return m, nil
}

// Handler is the metrics listener's whole handler: GET /metrics answers a
// scrape (text or protobuf exposition format), any other path is a 404.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry}))
	return mux
}
