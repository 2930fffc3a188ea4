package metrics

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"polls/app/tenant"
)

// Sites gives the tenants routed now (tenant.Resolver does).
type Sites interface {
	Sites() []tenant.Site
}

// tenantsCollector counts tenants by state when scraped, from the
// resolver's routes in memory: no query, and always the state the server
// acts on.
type tenantsCollector struct {
	sites    Sites
	now      func() time.Time
	desc     *prometheus.Desc
	versions *prometheus.Desc
}

func newTenantsCollector(sites Sites, now func() time.Time) tenantsCollector {
	return tenantsCollector{sites: sites, now: now,
		desc: prometheus.NewDesc("polls_tenants",
			"Tenants routed by this server, by state (serving, suspended).", []string{"state"}, nil),
		// A handful of versions at once, three migration states: a few series
		// whatever the number of tenants.
		versions: prometheus.NewDesc("polls_tenants_by_schema",
			"Tenants routed by this server, by schema version as the registry records it (0: not recorded yet) "+
				"and migration state (idle, migrating, failed).", []string{"version", "migration"}, nil)}
}

func (c tenantsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.desc
	ch <- c.versions
}

func (c tenantsCollector) Collect(ch chan<- prometheus.Metric) {
	now := c.now()
	serving, suspended := 0, 0
	bySchema := map[tenant.SchemaVersion]int{}
	for _, s := range c.sites.Sites() {
		bySchema[s.Version]++
		if s.Plan.SuspendedAt(now) {
			suspended++
		} else {
			serving++
		}
	}
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(serving), "serving")
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(suspended), "suspended")
	for v, n := range bySchema {
		ch <- prometheus.MustNewConstMetric(c.versions, prometheus.GaugeValue, float64(n), strconv.FormatInt(v.Number, 10), v.Migration)
	}
}
