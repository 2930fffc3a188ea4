package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"polls/app/database"
)

// affinityCollector reports where tenant transactions found their
// connections (database.affinity): how often a tenant met its own backend is
// what keeps PostgreSQL's plans and catalog caches warm, and the one figure
// that tells whether the affinity works for an installation's load.
type affinityCollector struct {
	a                     *database.Affinity
	takes, parked, queued *prometheus.Desc
}

func newAffinityCollector(a *database.Affinity) affinityCollector {
	return affinityCollector{a: a,
		takes: prometheus.NewDesc("polls_db_affinity_takes_total",
			"Connections tenant transactions took, by where from: hit (idle, last used by the same tenant), "+
				"spill (idle, another tenant's), fresh (from the pool), handoff_home (freed for it: the same tenant's, "+
				"or one it ranks first or second), handoff_other (freed for it, neither).", []string{"source"}, nil),
		parked: prometheus.NewDesc("polls_db_affinity_parked",
			"Idle connections the affinity keeps for the tenant that used them last.", nil, nil),
		queued: prometheus.NewDesc("polls_db_affinity_queued",
			"Tenant transactions waiting for a connection now.", nil, nil)}
}

func (c affinityCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.takes
	ch <- c.parked
	ch <- c.queued
}

func (c affinityCollector) Collect(ch chan<- prometheus.Metric) {
	s, parked := c.a.Stats()
	for source, n := range map[string]int64{"hit": s.Hits, "spill": s.Spills, "fresh": s.Fresh,
		"handoff_home": s.Home, "handoff_other": s.Handoffs - s.Home} {
		ch <- prometheus.MustNewConstMetric(c.takes, prometheus.CounterValue, float64(n), source)
	}
	ch <- prometheus.MustNewConstMetric(c.parked, prometheus.GaugeValue, float64(parked))
	ch <- prometheus.MustNewConstMetric(c.queued, prometheus.GaugeValue, float64(c.a.Queued()))
}
