package metrics

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// requestSeries are the series app/web reports to through Request and
// Refused (Metrics is its web.Observer). Labels take a bounded set of values:
// page is one of a dozen names given by the route, code one of the statuses
// polls answers, limit one of web's Limit* names.
func requestSeries() (*prometheus.CounterVec, *prometheus.HistogramVec, *prometheus.CounterVec) {
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "polls_http_requests_total",
		Help: "Requests answered, by page (route: index, detail, results, vote, admin, static, other, ...) and status code.",
	}, []string{"page", "code"})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "polls_http_request_duration_seconds",
		Help:    "Time from a request read to its answer sent, by page.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"page"})
	refusals := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "polls_limit_refusals_total",
		Help: "Requests refused by one of polls' limits, by limit (rate_limit, tenant_queue_full, tenant_share_wait, " +
			"pool_wait, request_timeout, hash_slots, database_unavailable).",
	}, []string{"limit"})
	return requests, latency, refusals
}

// Request counts one request answered and its time.
func (m *Metrics) Request(page string, status int, took time.Duration) {
	m.requests.WithLabelValues(page, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(page).Observe(took.Seconds())
}

// Refused counts one request a limit refused.
func (m *Metrics) Refused(limit string) {
	m.refusals.WithLabelValues(limit).Inc()
}
