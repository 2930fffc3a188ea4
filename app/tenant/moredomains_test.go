package tenant_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
	"polls/app/tenant"
)

func TestCreateWithMoreDomains(t *testing.T) {
	ctx := context.Background()
	schema := "t_" + apptest.RandomName(10)
	primary, alias := "main-"+apptest.RandomName(6)+".test", "Alias-"+apptest.RandomName(6)+".test"
	dropAfter(t, schema)
	if err := newProvisioner(t).Create(ctx, tenant.NewTenant{Schema: schema, Domain: primary, MoreDomains: []string{alias}}); err != nil {
		t.Fatal(err)
	}
	rec, err := tenant.Find(ctx, apptest.DB(t).SQL, schema)
	if err != nil {
		t.Fatal(err)
	}
	want := []tenant.Domain{{Name: primary, Primary: true}, {Name: "alias-" + alias[len("Alias-"):]}}
	if len(rec.Domains) != 2 || rec.Domains[0] != want[0] || rec.Domains[1] != want[1] {
		t.Errorf("domains: got %+v, want %+v", rec.Domains, want)
	}
	for _, d := range want {
		if _, err := newResolver(t).Resolve(ctx, d.Name); err != nil {
			t.Errorf("Resolve(%s): %v", d.Name, err)
		}
	}
}

// A taken extra domain refuses the whole tenant, as a taken primary does.
func TestCreateWithATakenExtraDomainLeavesNothing(t *testing.T) {
	ctx := context.Background()
	other := apptest.NewTenant(t)
	schema := "t_" + apptest.RandomName(10)
	primary := "main-" + apptest.RandomName(6) + ".test"
	dropAfter(t, schema)
	err := newProvisioner(t).Create(ctx, tenant.NewTenant{Schema: schema, Domain: primary, MoreDomains: []string{other.Domain}})
	var exists *tenant.ExistsError
	if !errors.As(err, &exists) || exists.Taken != tenant.DomainTaken || exists.Name != other.Domain {
		t.Fatalf("got %v, want the extra domain %s refused as taken", err, other.Domain)
	}
	assertNoTrace(t, schema, primary)
}

// A Fill that fails leaves no role behind either: the next Create of the
// schema, or another database, finds none.
func TestCreateWithAFailingFillLeavesNoRole(t *testing.T) {
	ctx := context.Background()
	schema := "t_" + apptest.RandomName(10)
	domain := "fill-" + apptest.RandomName(6) + ".test"
	dropAfter(t, schema)
	err := newProvisioner(t).Create(ctx, tenant.NewTenant{Schema: schema, Domain: domain,
		Fill: func(ctx context.Context, tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO polls_question (question_text, pub_date) VALUES ('', now())`)
			return err
		}})
	if err == nil {
		t.Fatal("Create with a failing Fill succeeded")
	}
	assertNoTrace(t, schema, domain)
	var roles int
	if err := apptest.DB(t).SQL.QueryRow(`SELECT count(*) FROM pg_roles WHERE rolname = $1`, apptest.Roles(t).For(schema)).Scan(&roles); err != nil {
		t.Fatal(err)
	}
	if roles != 0 {
		t.Errorf("after a failed Create: the tenant's role remains")
	}
}

// TestReloadKeepsEveryRouteWhole: the route table packs a load's sites and
// their text together (routes_compact.go); every host, primary or not, must
// still find its own tenant's every field, beside other tenants' routes.
func TestReloadKeepsEveryRouteWhole(t *testing.T) {
	ctx := context.Background()
	type want struct {
		host string
		site tenant.Site
	}
	var wants []want
	for i, lang := range []string{"fr", ""} {
		schema := "t_" + apptest.RandomName(10)
		primary, alias := "main-"+apptest.RandomName(6)+".test", "alias-"+apptest.RandomName(6)+".test"
		dropAfter(t, schema)
		nt := tenant.NewTenant{Schema: schema, Domain: primary, MoreDomains: []string{alias},
			Name: fmt.Sprintf("Site %d of %s", i, schema), Language: tenant.Language{Own: lang}}
		if err := newProvisioner(t).Create(ctx, nt); err != nil {
			t.Fatal(err)
		}
		site, err := newResolver(t).Resolve(ctx, primary)
		if err != nil {
			t.Fatal(err)
		}
		if site.Schema != schema || site.Name != nt.Name || site.Domain != primary || site.Role == "" || site.Version.Migration == "" {
			t.Fatalf("%s resolves to %+v, want its own schema, name, primary domain, role and migration state", primary, site)
		}
		wants = append(wants, want{primary, site}, want{alias, site})
	}
	r := newResolver(t)
	for _, w := range wants {
		got, ok := r.Cached(w.host) // Resolve would ask the registry on a miss
		if !ok {
			t.Fatalf("%s is not in the reloaded route table", w.host)
		}
		if !reflect.DeepEqual(got, w.site) {
			t.Errorf("route of %s = %+v, want %+v", w.host, got, w.site)
		}
	}
}
