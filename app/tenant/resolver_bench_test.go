package tenant_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/tenant"
)

// BenchmarkRegistryChangeRouted measures how long a registry change made
// elsewhere takes to reach the in-memory routes of two listening servers: from
// the commit of a new domain to the moment both route it without asking the
// database (the resolver promises within a second). Each change follows the
// last as soon as that one is routed, so most arrive just after a reload and
// wait out the resolver's pause between reloads: the mean is near the worst
// case, not the best. Sub-benchmarks differ in how many routes each reload reads.
func BenchmarkRegistryChangeRouted(b *testing.B) {
	for _, existing := range []int{0, 10000} {
		b.Run(fmt.Sprintf("routes=%d", existing), func(b *testing.B) {
			ctx := context.Background()
			db := apptest.DB(b)
			addBulkTenants(b, db, existing)
			servers := twoServers(b, db)
			a := apptest.NewTenant(b)
			prefix := "change-" + apptest.RandomName(8) + "-"
			b.Cleanup(func() {
				_, _ = db.SQL.ExecContext(context.Background(), `DELETE FROM public.domains WHERE domain LIKE $1`, prefix+"%")
			})
			var total, worst time.Duration
			b.ResetTimer()
			for i := range b.N {
				alias := fmt.Sprintf("%s%d.test", prefix, i)
				if _, err := db.SQL.ExecContext(ctx, `INSERT INTO public.domains (domain, tenant_id)
					SELECT $1, id FROM public.tenants WHERE schema_name = $2`, alias, a.Schema); err != nil {
					b.Fatal(err)
				}
				took := waitForAll(b, servers, "alias "+alias, routedFromMemory(alias, a.Schema))
				total += took
				worst = max(worst, took)
			}
			b.ReportMetric(ms(total)/float64(b.N), "ms/change")
			b.ReportMetric(ms(worst), "worst-ms")
		})
	}
}

// BenchmarkRegistryBurst makes a burst of registry changes over a registry
// of thousands of domains, as TestServersKeepUpWithABurstOfRegistryChanges
// does, and reports how long after the burst's last commit both servers route
// it, the CPU time the process spent from the burst's start until then (the
// writers' share is the same whatever the servers do; servers reloading once
// per notification add a reload of every route for each), and how busy it is
// over the half second after that (servers that fell behind would still be
// working through their notifications).
func BenchmarkRegistryBurst(b *testing.B) {
	const existing, burst, writers = 10000, 1200, 4
	const window = 500 * time.Millisecond
	db := apptest.DB(b)
	addBulkTenants(b, db, existing)
	servers := twoServers(b, db)
	var toLast, during, after time.Duration
	b.ResetTimer()
	for range b.N {
		// Each burst under a prefix of its own, removed before the next, so
		// every burst starts from the same registry.
		prefix := addBulkTenants(b, db, 0)
		start := cpuTime(b)
		last := registryBurst(b, db, prefix, burst, writers)
		toLast += waitForAll(b, servers, "the last of the burst", routedFromMemory(domainOf(last), last))
		seen := cpuTime(b)
		during += seen - start
		time.Sleep(window) // the span measured, not a wait for an event
		after += cpuTime(b) - seen
		b.StopTimer()
		if _, err := db.SQL.ExecContext(context.Background(), `DELETE FROM public.tenants WHERE schema_name LIKE $1`, prefix+"%"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(ms(toLast)/float64(b.N), "ms-to-last")
	b.ReportMetric(ms(during)/float64(b.N), "cpu-ms/burst")
	b.ReportMetric(100*float64(after)/float64(window)/float64(b.N), "%cpu-after")
}

// cpuTime is the CPU time this process has used so far.
func cpuTime(tb testing.TB) time.Duration {
	tb.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkFullLoad measures one full load of the route table with 10,000
// more tenants than the test database holds: its time and, with -benchmem,
// what it allocates on the way (serve's heap peaks during a full load, and
// Go keeps the memory of a peak).
func BenchmarkFullLoad(b *testing.B) {
	db := apptest.DB(b)
	addBulkTenants(b, db, 10000)
	r := tenant.NewResolver(db.SQL, db.URL, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := r.Reload(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
