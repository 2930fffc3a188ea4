package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"polls/bench/load"
)

// manyTenants grows the database to o.tenants tenants while polls keeps
// running (it learns of them by LISTEN/NOTIFY), reports what that took, and
// measures the index page again: on the same hosts as before, then spread
// over o.spread tenants.
func (e *benchEnv) manyTenants(ctx context.Context, pgURL, serveURL, pollsURL string, hosts []benchTenant, first map[string]row) error {
	extra := e.o.tenants - len(hosts)
	all := make([]benchTenant, extra)
	for i := range all {
		all[i] = tenantNamed("many_", i+1)
	}
	sample := min(10, extra)
	took, err := createTenants(ctx, e.pollsBin, e.dir, pgURL, all[:sample], 1)
	if err != nil {
		return err
	}
	each := took / time.Duration(sample)
	e.r.printf("\n%d more tenants: `polls createtenant` takes %v each one after another (x%d would be %v)\n",
		extra, each.Round(time.Millisecond), extra, (each * time.Duration(extra)).Round(time.Second))
	par := min(20, extra-sample)
	if par > 0 {
		took, err = createTenants(ctx, e.pollsBin, e.dir, pgURL, all[sample:sample+par], 4)
		if err != nil {
			return err
		}
		each = took / time.Duration(par)
		e.r.printf("  4 at a time: %v per tenant (x%d would be %v)\n", each.Round(time.Millisecond), extra,
			(each * time.Duration(extra)).Round(time.Second))
	}
	rest := all[sample+par:]
	if len(rest) > 0 {
		start := time.Now()
		if err := bulkTenants(ctx, pgURL, rest, 4); err != nil {
			return err
		}
		took = time.Since(start)
		e.r.printf("  the other %d by the benchmark's bulk SQL path (same DDL and seed, 4 connections): %v (%v each)\n",
			len(rest), took.Round(time.Second), (took / time.Duration(len(rest))).Round(time.Microsecond))
	}
	if err := settle(ctx, pgURL); err != nil {
		return err
	}
	last := all[len(all)-1]
	if err := waitRouted(ctx, e.polls.addr, last.domain); err != nil {
		return err
	}
	// The baseline reads its tenants at start only.
	e.baseline.stop()
	if err := e.startBaseline(ctx); err != nil {
		return err
	}

	idx := selectPages(buildPages(hosts), "index")
	again, err := e.measure(ctx, fmt.Sprintf("%d tenants, load on the same %d", e.o.tenants, len(hosts)), idx)
	if err != nil {
		return err
	}
	e.r.printf("flatness: polls index at %d tenants / at %d tenants = %.2f (baseline %.2f)\n", e.o.tenants, len(hosts),
		again["index"].polls.rps/first["index"].polls.rps, again["index"].baseline.rps/first["index"].baseline.rps)

	spread := append(append([]benchTenant{}, hosts...), all...)[:min(e.o.spread, e.o.tenants)]
	wide, err := e.measure(ctx, fmt.Sprintf("%d tenants, load spread over %d", e.o.tenants, len(spread)),
		selectPages(buildPages(spread), "index"))
	if err != nil {
		return err
	}
	e.r.printf("flatness: polls index spread over %d / on %d at %d tenants = %.2f (baseline %.2f)\n", len(spread),
		len(hosts), len(hosts), wide["index"].polls.rps/first["index"].polls.rps,
		wide["index"].baseline.rps/first["index"].baseline.rps)

	// One hot tenant: every other request is hosts[0]'s, the rest spread.
	// Its share of the pool (tenancy.max_conns_per_tenant) holds it back;
	// -shares=false shows what that costs.
	spreadIndex := selectPages(buildPages(spread), "index")[0].requests
	hotIndex := selectPages(buildPages(hosts[:1]), "index")[0].requests[0]
	mixed := make([]load.Request, 0, 2*len(spreadIndex))
	for _, r := range spreadIndex {
		mixed = append(mixed, r, hotIndex)
	}
	hot, err := e.measure(ctx, fmt.Sprintf("%d tenants, half the load on %s, half spread over %d (shares %v)",
		e.o.tenants, hosts[0].schema, len(spread), e.o.shares), []page{{"index", mixed}})
	if err != nil {
		return err
	}
	e.r.printf("flatness: polls index with one hot tenant / spread = %.2f (baseline %.2f)\n",
		hot["index"].polls.rps/wide["index"].polls.rps, hot["index"].baseline.rps/wide["index"].baseline.rps)
	return e.postgresAlone(ctx, pgURL, hosts, spread, first["index"].polls)
}

// waitRouted waits until polls serves domain (at most 10s).
func waitRouted(ctx context.Context, addr, domain string) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, _, err := fetch(addr, domain, "/polls/")
		if err == nil && status == http.StatusOK {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("polls does not serve %s: status %d, %v", domain, status, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// settle lets PostgreSQL finish the housekeeping that creating thousands of
// schemas starts (autovacuum of the system catalogs), so it does not run
// during the measurement: the catalogs are vacuumed and analysed now, then
// the wait is for autovacuum workers to finish (at most two minutes).
func settle(ctx context.Context, pgURL string) error {
	conn, err := pgx.Connect(ctx, pgURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	start := time.Now()
	for _, t := range []string{"pg_class", "pg_attribute", "pg_depend", "pg_type", "pg_index", "pg_namespace",
		"pg_constraint", "pg_attrdef", "pg_sequence", "pg_shdepend"} {
		if _, err := conn.Exec(ctx, "VACUUM (ANALYZE) pg_catalog."+t); err != nil {
			return fmt.Errorf("vacuum %s: %w", t, err)
		}
	}
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); {
		var workers int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`).
			Scan(&workers); err != nil {
			return err
		}
		if workers == 0 {
			break
		}
		time.Sleep(time.Second)
	}
	fmt.Printf("  catalogs vacuumed and autovacuum idle after %v\n", time.Since(start).Round(time.Second))
	return nil
}
