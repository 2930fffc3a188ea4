package tenant_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/database"
	"polls/app/tenant"
)

// installation is one polls database and the names of its tenant roles.
type installation struct {
	db    *database.DB
	roles tenant.Roles
}

// secondInstallation is another polls database on the test server, with
// roles named as polls derives them for it.
func secondInstallation(t *testing.T) installation {
	t.Helper()
	db := apptest.NewDatabase(t)
	roles, err := tenant.ResolveRoles(context.Background(), db.SQL, "")
	if err != nil {
		t.Fatal(err)
	}
	return installation{db: db, roles: roles}
}

// create makes tenant schema in in with roles, and drops what it made (the
// schema under either name, its row, its role) after the test.
func (in installation) create(t *testing.T, roles tenant.Roles, schema string, also ...string) error {
	t.Helper()
	t.Cleanup(func() {
		for _, s := range append([]string{schema}, also...) {
			_, _ = in.db.SQL.Exec(`DROP SCHEMA IF EXISTS "` + s + `" CASCADE`)
			_, _ = in.db.SQL.Exec(`DELETE FROM public.tenants WHERE schema_name = $1`, s)
			apptest.DropRole(t, in.db.SQL, roles.For(s))
		}
	})
	p := &tenant.Provisioner{SQL: in.db.SQL, URL: in.db.URL, Roles: roles}
	return p.Create(context.Background(), tenant.NewTenant{Schema: schema, Domain: strings.ReplaceAll(schema, "_", "-") + ".test", Name: schema})
}

// owner is the owner of schema in db, "" if there is no such schema.
func owner(t *testing.T, db *sql.DB, schema string) string {
	t.Helper()
	var o string
	err := db.QueryRow(`SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = $1`, schema).Scan(&o)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatal(err)
	}
	return o
}

// recordedRole is the role the registry of db records for schema.
func recordedRole(t *testing.T, db *sql.DB, schema string) string {
	t.Helper()
	var r string
	if err := db.QueryRow(`SELECT COALESCE(role_name, '') FROM public.tenants WHERE schema_name = $1`, schema).Scan(&r); err != nil {
		t.Fatalf("the registry's row for %s: %v", schema, err)
	}
	return r
}

func roleExists(t *testing.T, db *sql.DB, role string) bool {
	t.Helper()
	var ok bool
	if err := db.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`, role).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

// worksAsItsRole reads the tenant's tables as its role, as a request does.
func worksAsItsRole(t *testing.T, db *database.DB, schema, role string) {
	t.Helper()
	ctx := context.Background()
	tx, err := tenant.BeginAs(ctx, db.SQL, schema, role)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.Gorm(ctx, db.Gorm).Raw(`SELECT count(*) FROM polls_question`).Scan(&n).Error; err != nil {
		t.Fatalf("tenant %s as %s: %v", schema, role, err)
	}
}

// TestTwoInstallationsOnOneServer: two polls databases on one PostgreSQL
// server, each with a tenant of the same name, get a role each, and creating,
// renaming and deleting the tenant in one never touches the other's.
func TestTwoInstallationsOnOneServer(t *testing.T) {
	ctx := context.Background()
	a := installation{db: apptest.DB(t), roles: apptest.Roles(t)}
	b := secondInstallation(t)
	schema, renamed := "t_"+apptest.RandomName(10), "r_"+apptest.RandomName(10)
	if err := a.create(t, a.roles, schema, renamed); err != nil {
		t.Fatal(err)
	}
	if err := b.create(t, b.roles, schema); err != nil {
		t.Fatalf("the same tenant in a second database: %v", err)
	}
	roleA, roleB := a.roles.For(schema), b.roles.For(schema)
	if roleA == roleB || len(a.roles.Prefix) != len("polls_tenant_") || len(b.roles.Prefix) != len("polls_tenant_") {
		t.Fatalf("the two databases name the tenant's role %s and %s: want two names, each with a 13-character prefix", roleA, roleB)
	}
	for _, in := range []struct {
		db   *sql.DB
		role string
	}{{a.db.SQL, roleA}, {b.db.SQL, roleB}} {
		if got := owner(t, in.db, schema); got != in.role || recordedRole(t, in.db, schema) != in.role {
			t.Fatalf("schema %s is owned by %s, recorded %s; want its installation's role %s", schema, got, recordedRole(t, in.db, schema), in.role)
		}
	}
	untouched := func(step string) {
		t.Helper()
		if got := owner(t, b.db.SQL, schema); got != roleB || recordedRole(t, b.db.SQL, schema) != roleB || !roleExists(t, b.db.SQL, roleB) {
			t.Fatalf("after %s in the first database, the second's schema is owned by %q and records %q; want %s, existing", step, got, recordedRole(t, b.db.SQL, schema), roleB)
		}
		worksAsItsRole(t, b.db, schema, roleB)
	}

	if err := tenant.Rename(ctx, a.db.SQL, a.roles, schema, renamed); err != nil {
		t.Fatal(err)
	}
	if got := owner(t, a.db.SQL, renamed); got != a.roles.For(renamed) || roleExists(t, a.db.SQL, roleA) {
		t.Fatalf("after the rename the first database's schema is owned by %q, and its old role exists: %v", got, roleExists(t, a.db.SQL, roleA))
	}
	untouched("the rename")

	if err := tenant.Delete(ctx, a.db.SQL, renamed); err != nil {
		t.Fatal(err)
	}
	if roleExists(t, a.db.SQL, a.roles.For(renamed)) {
		t.Fatalf("role %s outlived its tenant", a.roles.For(renamed))
	}
	untouched("the delete")
}

// TestCreateRefusesARoleAnotherDatabaseUses: two installations set to one
// tenancy.role_prefix would share their tenants' roles; the second create
// is refused with a message naming the setting, and the first tenant is
// untouched. A role used nowhere else (a killed create's) is taken.
func TestCreateRefusesARoleAnotherDatabaseUses(t *testing.T) {
	a := installation{db: apptest.DB(t), roles: apptest.Roles(t)}
	b := secondInstallation(t)
	same := tenant.Roles{Prefix: "p" + apptest.RandomName(6) + "_"}
	schema := "t_" + apptest.RandomName(10)
	if err := b.create(t, same, schema); err != nil {
		t.Fatal(err)
	}
	var bName string
	if err := b.db.SQL.QueryRow(`SELECT current_database()`).Scan(&bName); err != nil {
		t.Fatal(err)
	}
	err := a.create(t, same, schema)
	if !errors.Is(err, tenant.ErrRoleElsewhere) || !strings.Contains(err.Error(), "tenancy.role_prefix") || !strings.Contains(err.Error(), bName) {
		t.Fatalf("creating the tenant with the prefix of another database: got %v, want ErrRoleElsewhere naming tenancy.role_prefix and %s", err, bName)
	}
	t.Logf("refused as it should be: %v", err)
	var rows int
	if err := a.db.SQL.QueryRow(`SELECT count(*) FROM public.tenants WHERE schema_name = $1`, schema).Scan(&rows); err != nil || rows != 0 || owner(t, a.db.SQL, schema) != "" {
		t.Fatalf("the refused create left %d rows (%v), schema owned by %q", rows, err, owner(t, a.db.SQL, schema))
	}
	if got := owner(t, b.db.SQL, schema); got != same.For(schema) {
		t.Fatalf("the other database's schema is owned by %q after the refusal, want %s", got, same.For(schema))
	}
	worksAsItsRole(t, b.db, schema, same.For(schema))

	leftover := "t_" + apptest.RandomName(10)
	if _, err := a.db.SQL.Exec(`CREATE ROLE "` + a.roles.For(leftover) + `" NOLOGIN NOINHERIT`); err != nil {
		t.Fatal(err)
	}
	if err := a.create(t, a.roles, leftover); err != nil {
		t.Fatalf("a role left over in this database alone: %v, want it taken", err)
	}
	worksAsItsRole(t, a.db, leftover, a.roles.For(leftover))
}

func TestDerivedRolePrefix(t *testing.T) {
	p := tenant.DerivedRolePrefix("polls")
	if len(p) != 13 || !strings.HasPrefix(p, "polls_") || !strings.HasSuffix(p, "_") {
		t.Fatalf("DerivedRolePrefix(polls) = %q, want polls_ + 6 hex digits + _", p)
	}
	if p != tenant.DerivedRolePrefix("polls") || p == tenant.DerivedRolePrefix("polls_staging") {
		t.Fatalf("the derived prefix must be stable for a name and differ between names")
	}
}

// TestARoleAnotherDatabaseUsesIsNeitherRenamedNorDropped: a tenant role that
// another database also uses (one made before roles had a prefix per
// installation) would be renamed or dropped there too: rename refuses, and
// delete leaves the role.
func TestARoleAnotherDatabaseUsesIsNeitherRenamedNorDropped(t *testing.T) {
	ctx := context.Background()
	a := installation{db: apptest.DB(t), roles: apptest.Roles(t)}
	b := secondInstallation(t)
	schema := "t_" + apptest.RandomName(10)
	if err := a.create(t, a.roles, schema); err != nil {
		t.Fatal(err)
	}
	role := a.roles.For(schema)
	t.Cleanup(func() { apptest.DropRole(t, b.db.SQL, role) })
	if _, err := b.db.SQL.Exec(`GRANT USAGE ON SCHEMA public TO "` + role + `"`); err != nil {
		t.Fatal(err)
	}

	err := tenant.Rename(ctx, a.db.SQL, a.roles, schema, "r_"+apptest.RandomName(10))
	if !errors.Is(err, tenant.ErrRoleElsewhere) || !strings.Contains(err.Error(), "polls migrate") {
		t.Fatalf("renaming a tenant whose role another database uses: got %v, want ErrRoleElsewhere pointing to polls migrate", err)
	}
	if got := owner(t, a.db.SQL, schema); got != role {
		t.Fatalf("after the refused rename the schema is owned by %q, want %s unchanged", got, role)
	}
	if err := tenant.Delete(ctx, a.db.SQL, schema); err != nil {
		t.Fatal(err)
	}
	if !roleExists(t, b.db.SQL, role) {
		t.Fatalf("deleting the tenant dropped role %s, which the other database still uses", role)
	}
}
