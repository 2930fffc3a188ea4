package tenant_test

import (
	"context"
	"errors"
	"io/fs"
	"testing"

	"polls/app/apptest"
	"polls/app/citus"
	"polls/app/tenant"
	"polls/migrations"
)

// What polls does differently on a Citus coordinator, checked on a plain
// PostgreSQL: the cluster itself is exercised by app/cli's TestCitusCluster
// when POLLS_TEST_CITUS_URL names one.

// TestOneStatementBuildsWhatTheTemplateBuilds: a tenant made as on Citus
// (its migrations replayed one statement at a time) has exactly the
// structure of one made from the template, for the real migrations and for
// one using every kind of object the template copies.
func TestOneStatementBuildsWhatTheTemplateBuilds(t *testing.T) {
	for name, src := range map[string]fs.FS{"real": migrations.Tenant(), "after a new migration": withMigration(richMigration)} {
		t.Run(name, func(t *testing.T) {
			usual := newProvisioner(t)
			usual.Migrations = src
			citusWay := newProvisioner(t)
			citusWay.Migrations, citusWay.OneStatement = src, true
			assertSameStructure(t, createWith(t, usual), createWith(t, citusWay))
		})
	}
}

func canLogin(t *testing.T, role string) bool {
	t.Helper()
	var can bool
	if err := apptest.DB(t).SQL.QueryRow(`SELECT rolcanlogin FROM pg_roles WHERE rolname = $1`, role).Scan(&can); err != nil {
		t.Fatalf("role %s: %v", role, err)
	}
	return can
}

// TestLoginRoles: with Roles.Login (Citus) new tenant roles can log in,
// whichever way the tenant is built; without it they cannot; AllowLogin
// upgrades an old NOLOGIN role once.
func TestLoginRoles(t *testing.T) {
	ctx := context.Background()
	plain := createWith(t, newProvisioner(t))
	if canLogin(t, apptest.Roles(t).For(plain)) {
		t.Errorf("without Citus the tenant role of %s can log in", plain)
	}
	for _, oneByOne := range []bool{false, true} { // from the template, and as on Citus
		p := newProvisioner(t)
		p.Roles.Login, p.OneStatement = true, oneByOne
		s := createWith(t, p)
		if !canLogin(t, p.Roles.For(s)) {
			t.Errorf("one statement %v: the tenant role of %s cannot log in, Citus could not reach the workers as it", oneByOne, s)
		}
	}
	role := apptest.Roles(t).For(plain)
	changed, err := tenant.AllowLogin(ctx, apptest.DB(t).SQL, role)
	if err != nil || !changed || !canLogin(t, role) {
		t.Fatalf("AllowLogin(%s) = %v, %v; can log in: %v", role, changed, err, canLogin(t, role))
	}
	if changed, err := tenant.AllowLogin(ctx, apptest.DB(t).SQL, role); err != nil || changed {
		t.Errorf("AllowLogin again = %v, %v; want nothing to do", changed, err)
	}
}

// TestRefusalCreatesNothing: a provisioner told to refuse (Citus with
// schema-based sharding off) says why and leaves no schema, row or role.
func TestRefusalCreatesNothing(t *testing.T) {
	p := newProvisioner(t)
	p.Refusal = citus.ErrShardingOff
	schema := "t_" + apptest.RandomName(10)
	dropAfter(t, schema)
	err := p.Create(context.Background(), tenant.NewTenant{Schema: schema, Domain: schema + ".test"})
	if !errors.Is(err, citus.ErrShardingOff) {
		t.Fatalf("Create = %v, want the refusal", err)
	}
	var n int
	apptest.DB(t).SQL.QueryRow(`SELECT (SELECT count(*) FROM public.tenants WHERE schema_name = $1)
		+ (SELECT count(*) FROM pg_namespace WHERE nspname = $1) + (SELECT count(*) FROM pg_roles WHERE rolname = $2)`,
		schema, p.Roles.For(schema)).Scan(&n)
	if n != 0 {
		t.Errorf("the refused creation left %d things behind", n)
	}
}

// TestCloneRefusedOneStatementAtATime: as on Citus, a clone is refused with
// the way round it, and nothing is made.
func TestCloneRefusedOneStatementAtATime(t *testing.T) {
	src := createWith(t, newProvisioner(t))
	p := newProvisioner(t)
	p.OneStatement = true
	schema := "t_" + apptest.RandomName(10)
	dropAfter(t, schema)
	err := p.Clone(context.Background(), src, tenant.NewTenant{Schema: schema, Domain: schema + ".test"}, true)
	if !errors.Is(err, tenant.ErrCloneOnCitus) {
		t.Fatalf("Clone = %v, want ErrCloneOnCitus", err)
	}
	var n int
	apptest.DB(t).SQL.QueryRow(`SELECT count(*) FROM pg_namespace WHERE nspname = $1`, schema).Scan(&n)
	if n != 0 {
		t.Error("the refused clone made its schema")
	}
}
