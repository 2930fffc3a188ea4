package tenant_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"polls/app/apptest"
	"polls/app/tenant"
	"polls/migrations"
)

func newProvisioner(t *testing.T) *tenant.Provisioner {
	return &tenant.Provisioner{SQL: apptest.DB(t).SQL, URL: apptest.URL(t), Roles: apptest.Roles(t)}
}

func newResolver(t *testing.T) *tenant.Resolver {
	r := tenant.NewResolver(apptest.DB(t).SQL, apptest.URL(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := r.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r
}

func dropAfter(t *testing.T, schema string) {
	t.Cleanup(func() {
		db := apptest.DB(t).SQL
		if _, err := db.Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		if _, err := db.Exec(`DELETE FROM public.tenants WHERE schema_name = $1`, schema); err != nil {
			t.Errorf("delete tenant %s: %v", schema, err)
		}
		apptest.DropRole(t, db, apptest.Roles(t).For(schema))
	})
}

// brokenMigrations is the real tenant set plus a last migration that fails.
func brokenMigrations(t *testing.T) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, name := range []string{"000001_create_polls.up.sql", "000001_create_polls.down.sql"} {
		b, err := fs.ReadFile(migrations.Tenant(), name)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: b}
	}
	fsys["999999_broken.up.sql"] = &fstest.MapFile{Data: []byte("BEGIN; CREATE TABLE half_built (id int); SELECT no_such_function(); COMMIT;")}
	fsys["999999_broken.down.sql"] = &fstest.MapFile{Data: []byte("")}
	return fsys
}

func TestCreateThatFailsMidwayLeavesNothingAndCanBeRerun(t *testing.T) {
	ctx := context.Background()
	schema := "t_" + apptest.RandomName(10)
	domain := "midway-" + apptest.RandomName(6) + ".test"
	dropAfter(t, schema)
	broken := newProvisioner(t)
	broken.Migrations = brokenMigrations(t)

	err := broken.Create(ctx, tenant.NewTenant{Schema: schema, Domain: domain})
	if err == nil {
		t.Fatal("Create with a failing migration succeeded, want an error")
	}
	assertNoTrace(t, schema, domain)

	if err := newProvisioner(t).Create(ctx, tenant.NewTenant{Schema: schema, Domain: domain}); err != nil {
		t.Fatalf("rerun after a failure: %v", err)
	}
	if _, err := newResolver(t).Resolve(ctx, domain); err != nil {
		t.Fatalf("tenant not routable after the rerun: %v", err)
	}
}

func TestCreateRecoversFromAKilledRun(t *testing.T) {
	ctx := context.Background()
	schema := "t_" + apptest.RandomName(10)
	domain := "killed-" + apptest.RandomName(6) + ".test"
	dropAfter(t, schema)
	db := apptest.DB(t).SQL
	// What a createtenant killed after registering and creating the schema leaves.
	var id int64
	if err := db.QueryRow(`INSERT INTO public.tenants (schema_name, name) VALUES ($1, 'half') RETURNING id`, schema).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO public.domains (domain, tenant_id, is_primary) VALUES ($1, $2, true)`, domain, id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE SCHEMA "` + schema + `"; CREATE TABLE "` + schema + `".leftover (id int)`); err != nil {
		t.Fatal(err)
	}
	if _, err := newResolver(t).Resolve(ctx, domain); err == nil {
		t.Fatal("a half-built tenant is routable")
	}

	if err := newProvisioner(t).Create(ctx, tenant.NewTenant{Schema: schema, Domain: domain}); err != nil {
		t.Fatalf("rerun after a kill: %v", err)
	}
	if _, err := newResolver(t).Resolve(ctx, domain); err != nil {
		t.Fatalf("tenant not routable after the rerun: %v", err)
	}
	var leftover bool
	if err := db.QueryRow(`SELECT to_regclass($1) IS NOT NULL`, schema+".leftover").Scan(&leftover); err != nil {
		t.Fatal(err)
	}
	if leftover {
		t.Fatal("the rerun kept the killed run's half-built schema")
	}
}

func TestConcurrentCreatesOfOneSchema(t *testing.T) {
	ctx := context.Background()
	schema := "t_" + apptest.RandomName(10)
	dropAfter(t, schema)
	const n = 6
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			domain := "race-" + apptest.RandomName(8) + ".test"
			errs[i] = newProvisioner(t).Create(ctx, tenant.NewTenant{Schema: schema, Domain: domain})
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		var exists *tenant.ExistsError
		switch {
		case err == nil:
			wins++
		case !errors.As(err, &exists) || exists.Taken != tenant.SchemaTaken && exists.Taken != tenant.SchemaInCreation:
			t.Errorf("losing Create got %v, want an ExistsError: schema taken or in creation", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d concurrent Creates of one schema succeeded, want exactly 1 (errors: %v)", wins, errs)
	}
}

func TestConcurrentCreatesOfOneDomain(t *testing.T) {
	ctx := context.Background()
	domain := "same-" + apptest.RandomName(8) + ".test"
	const n = 4
	errs := make([]error, n)
	schemas := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		schema := "t_" + apptest.RandomName(10)
		schemas[i] = schema
		dropAfter(t, schema)
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = newProvisioner(t).Create(ctx, tenant.NewTenant{Schema: schema, Domain: domain})
		}()
	}
	wg.Wait()
	winner := ""
	wins := 0
	for i, err := range errs {
		var exists *tenant.ExistsError
		switch {
		case err == nil:
			wins++
			winner = schemas[i]
		case !errors.As(err, &exists) || exists.Taken != tenant.DomainTaken || !strings.Contains(err.Error(), "already used"):
			t.Errorf("losing Create got %v, want an ExistsError saying the domain is already used", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d concurrent Creates of one domain succeeded, want exactly 1 (errors: %v)", wins, errs)
	}
	var owner string
	if err := apptest.DB(t).SQL.QueryRow(`SELECT t.schema_name FROM public.domains d JOIN public.tenants t ON t.id = d.tenant_id
		WHERE d.domain = $1`, domain).Scan(&owner); err != nil {
		t.Fatal(err)
	}
	if owner != winner {
		t.Fatalf("%s is registered to %s, want the winning Create's %s", domain, owner, winner)
	}
}

func TestCreateRefusesASchemaThatIsNotATenant(t *testing.T) {
	schema := "t_" + apptest.RandomName(10)
	dropAfter(t, schema)
	if _, err := apptest.DB(t).SQL.Exec(`CREATE SCHEMA "` + schema + `"`); err != nil {
		t.Fatal(err)
	}
	err := newProvisioner(t).Create(context.Background(), tenant.NewTenant{Schema: schema, Domain: "x-" + apptest.RandomName(6) + ".test"})
	var exists *tenant.ExistsError
	if !errors.As(err, &exists) || exists.Taken != tenant.SchemaForeign {
		t.Fatalf("got %v, want an ExistsError: an unrelated schema must never be taken over", err)
	}
}

func assertNoTrace(t *testing.T, schema, domain string) {
	t.Helper()
	ctx := context.Background()
	db := apptest.DB(t).SQL
	var rows, schemas int
	if err := db.QueryRow(`SELECT count(*) FROM public.tenants t LEFT JOIN public.domains d ON d.tenant_id = t.id
		WHERE t.schema_name = $1 OR d.domain = $2`, schema, domain).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM pg_namespace WHERE nspname = $1`, schema).Scan(&schemas); err != nil {
		t.Fatal(err)
	}
	if rows != 0 || schemas != 0 {
		t.Fatalf("after a failed Create: %d registry rows and %d schemas remain, want none", rows, schemas)
	}
	var unknown *tenant.UnknownHostError
	if _, err := newResolver(t).Resolve(ctx, domain); !errors.As(err, &unknown) {
		t.Fatalf("Resolve after a failed Create: got %v, want UnknownHostError", err)
	}
}
