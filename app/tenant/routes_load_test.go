package tenant_test

import (
	"context"
	"testing"

	"polls/app/apptest"
	"polls/app/database"
	"polls/app/tenant"
)

// TestFullLoadRoutesEveryDomainAsTheRegistrySays: a full load packs every
// route into one slab and one text, sized by a count at first and by the
// table it replaces later, when the registry has grown or shrunk since. Each
// domain, a tenant's primary one or an alias, must come out as the registry
// itself answers it.
func TestFullLoadRoutesEveryDomainAsTheRegistrySays(t *testing.T) {
	ctx := context.Background()
	db := apptest.DB(t)
	r := tenant.NewResolver(db.SQL, db.URL, nil)
	first := bulkTenantsWithAliases(t, db, 40)
	check := func(stage string, routed, gone []string) {
		t.Helper()
		if err := r.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		for _, host := range routed {
			cached, ok := r.Cached(host)
			if !ok {
				t.Fatalf("%s: %s is not routed", stage, host)
			}
			registry, err := r.Recheck(ctx, host)
			if err != nil {
				t.Fatal(err)
			}
			if !sameSite(cached, registry) {
				t.Fatalf("%s: %s routed to %+v, the registry says %+v", stage, host, cached, registry)
			}
		}
		for _, host := range gone {
			if s, ok := r.Cached(host); ok {
				t.Fatalf("%s: %s still routed to %s", stage, host, s.Schema)
			}
		}
	}
	check("first load", first.hosts, nil)

	second := bulkTenantsWithAliases(t, db, 120)
	check("three times the rows", append(first.hosts, second.hosts...), nil)

	if _, err := db.SQL.ExecContext(ctx, `DELETE FROM public.tenants WHERE schema_name LIKE $1`, second.prefix+"%"); err != nil {
		t.Fatal(err)
	}
	check("a quarter of the rows", first.hosts, second.hosts)
}

// sameSite compares two routes by value: the paid day by its date, since
// each Site read has a pointer of its own (and must: a pointer shared by two
// routes read into the same variables would give them one plan).
func sameSite(a, b tenant.Site) bool {
	pa, pb := a.Plan.PaidUntil, b.Plan.PaidUntil
	if (pa == nil) != (pb == nil) || pa != nil && !pa.Equal(*pb) {
		return false
	}
	a.Plan.PaidUntil, b.Plan.PaidUntil = nil, nil
	return a == b
}

// bulkTenants are tenants made by addBulkTenants, every third one given an
// alias beside its primary domain and each a paid day of its own.
type bulkTenants struct {
	prefix string
	hosts  []string // every domain, primary and alias
}

func bulkTenantsWithAliases(t *testing.T, db *database.DB, n int) bulkTenants {
	t.Helper()
	prefix := addBulkTenants(t, db, n)
	if _, err := db.SQL.ExecContext(context.Background(), `INSERT INTO public.domains (domain, tenant_id, is_primary)
		SELECT 'alias-' || replace(schema_name, '_', '-') || '.test', id, false FROM public.tenants
		WHERE schema_name LIKE $1 AND id % 3 = 0`, prefix+"%"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL.ExecContext(context.Background(), `UPDATE public.tenants SET paid_until = date '2027-01-01' + (id % 365)::int
		WHERE schema_name LIKE $1`, prefix+"%"); err != nil {
		t.Fatal(err)
	}
	rows, err := db.SQL.QueryContext(context.Background(), `SELECT d.domain FROM public.domains d
		JOIN public.tenants t ON t.id = d.tenant_id WHERE t.schema_name LIKE $1`, prefix+"%")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	b := bulkTenants{prefix: prefix}
	for rows.Next() {
		var host string
		if err := rows.Scan(&host); err != nil {
			t.Fatal(err)
		}
		b.hosts = append(b.hosts, host)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(b.hosts) <= n {
		t.Fatalf("%d tenants came with %d domains: no alias to route", n, len(b.hosts))
	}
	return b
}
