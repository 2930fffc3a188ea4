package cli_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
	"polls/app/database"
	"polls/app/tenant"
)

// legacyRoles names roles as every polls installation did before
// tenancy.role_prefix.
func legacyRoles() tenant.Roles { return tenant.Roles{Prefix: "polls_tenant_"} }

// handRoleTo makes role own everything the tenant of schema has in db, as
// if it had been made under that name, and records it.
func handRoleTo(t *testing.T, db *sql.DB, schema, role string) {
	t.Helper()
	var now string
	if err := db.QueryRow(`SELECT role_name FROM public.tenants WHERE schema_name = $1`, schema).Scan(&now); err != nil {
		t.Fatal(err)
	}
	r := pgx.Identifier{role}.Sanitize()
	for _, q := range []string{
		`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ` + quoteLiteral(role) + `) THEN CREATE ROLE ` + r + ` NOLOGIN NOINHERIT; END IF; END $$`,
		`REASSIGN OWNED BY ` + pgx.Identifier{now}.Sanitize() + ` TO ` + r,
		`DROP ROLE ` + pgx.Identifier{now}.Sanitize(),
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := db.Exec(`UPDATE public.tenants SET role_name = $1 WHERE schema_name = $2`, role, schema); err != nil {
		t.Fatal(err)
	}
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// readAs reads the tenant's tables as role, as a request does.
func readAs(t *testing.T, db *database.DB, schema, role string) {
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

func roleExists(t *testing.T, role string) bool {
	t.Helper()
	var ok bool
	if err := apptest.DB(t).SQL.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`, role).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestMigrateMovesRolesToThePrefix: a tenant whose role has the name all
// installations once shared is moved to its installation's prefix by
// `polls migrate`, one line saying so; the old role is dropped, and the next
// migrate moves nothing.
func TestMigrateMovesRolesToThePrefix(t *testing.T) {
	tn := apptest.NewTenant(t)
	db := apptest.DB(t).SQL
	old := legacyRoles().For(tn.Schema)
	t.Cleanup(func() { apptest.DropRole(t, db, old) })
	handRoleTo(t, db, tn.Schema, old)

	out, code := run(t, nil, "migrate", "--schema", tn.Schema)
	if code != 0 || !strings.Contains(out, tn.Schema+": role "+old+" -> "+tn.Role+"\n") {
		t.Fatalf("migrate (exit %d) did not say it moved %s to %s:\n%s", code, old, tn.Role, out)
	}
	if owners := ownersOf(t, tn.Schema); len(owners) != 1 || owners[0] != tn.Role {
		t.Fatalf("after migrate the schema's objects are owned by %v, want only %s", owners, tn.Role)
	}
	if roleExists(t, old) {
		t.Fatalf("the old role %s, used by no other database, was not dropped", old)
	}
	readAs(t, apptest.DB(t), tn.Schema, tn.Role)
	out, code = run(t, nil, "migrate", "--schema", tn.Schema)
	if code != 0 || strings.Contains(out, "->") {
		t.Fatalf("second migrate (exit %d) moved something again:\n%s", code, out)
	}
}

// TestMigrateKeepsARoleAnotherDatabaseUses: before tenancy.role_prefix two
// databases on one server with a tenant of the same name shared its role.
// Migrating one gives its tenant a role of its own and leaves the shared one
// to the other database, whose tenant goes on working.
func TestMigrateKeepsARoleAnotherDatabaseUses(t *testing.T) {
	ctx := context.Background()
	other := apptest.NewDatabase(t)
	schema := "t_" + apptest.RandomName(10)
	old := legacyRoles().For(schema)
	otherRoles, err := tenant.ResolveRoles(ctx, other.SQL, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []struct {
		db    *database.DB
		roles tenant.Roles
	}{{apptest.DB(t), legacyRoles()}, {other, otherRoles}} {
		t.Cleanup(func() {
			_, _ = in.db.SQL.Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`)
			_, _ = in.db.SQL.Exec(`DELETE FROM public.tenants WHERE schema_name = $1`, schema)
			apptest.DropRole(t, in.db.SQL, in.roles.For(schema))
			apptest.DropRole(t, in.db.SQL, apptest.Roles(t).For(schema))
		})
		p := &tenant.Provisioner{SQL: in.db.SQL, URL: in.db.URL, Roles: in.roles}
		if err := p.Create(ctx, tenant.NewTenant{Schema: schema, Domain: strings.ReplaceAll(schema, "_", "-") + ".test", Name: schema}); err != nil {
			t.Fatal(err)
		}
	}
	handRoleTo(t, other.SQL, schema, old) // now both databases' tenants are old's
	var otherName string
	if err := other.SQL.QueryRow(`SELECT current_database()`).Scan(&otherName); err != nil {
		t.Fatal(err)
	}

	out, code := run(t, nil, "migrate", "--schema", schema)
	want := schema + ": role " + old + " -> " + apptest.Roles(t).For(schema) + " (" + old + " is kept: database " + otherName + " still uses it)\n"
	if code != 0 || !strings.Contains(out, want) {
		t.Fatalf("migrate (exit %d) did not say %q:\n%s", code, want, out)
	}
	if owners := ownersOf(t, schema); len(owners) != 1 || owners[0] != apptest.Roles(t).For(schema) {
		t.Fatalf("after migrate the schema's objects are owned by %v, want only %s", owners, apptest.Roles(t).For(schema))
	}
	if !roleExists(t, old) {
		t.Fatalf("the role %s, still the other database's tenant's, was dropped", old)
	}
	readAs(t, other, schema, old)
	readAs(t, apptest.DB(t), schema, apptest.Roles(t).For(schema))
	out, code = run(t, nil, "migrate", "--schema", schema)
	if code != 0 || strings.Contains(out, "->") {
		t.Fatalf("second migrate (exit %d) moved something again:\n%s", code, out)
	}
}

// TestMigrateGoesOnWhenARoleCannotMove: a tenant whose new role another
// database already uses keeps its old role, says why in one line, and the
// migrate fails at the end; the other tenant is moved and migrated.
func TestMigrateGoesOnWhenARoleCannotMove(t *testing.T) {
	ctx := context.Background()
	db := apptest.DB(t).SQL
	stuck, movable := apptest.NewTenant(t), apptest.NewTenant(t)
	for _, tn := range []apptest.Tenant{stuck, movable} {
		old := legacyRoles().For(tn.Schema)
		t.Cleanup(func() { apptest.DropRole(t, db, old) })
		handRoleTo(t, db, tn.Schema, old)
	}
	// Another database took the name migrate would give stuck's role.
	other := apptest.NewDatabase(t)
	t.Cleanup(func() {
		_, _ = other.SQL.Exec(`DROP SCHEMA IF EXISTS "` + stuck.Schema + `" CASCADE`)
		apptest.DropRole(t, other.SQL, stuck.Role)
	})
	p := &tenant.Provisioner{SQL: other.SQL, URL: other.URL, Roles: apptest.Roles(t)}
	if err := p.Create(ctx, tenant.NewTenant{Schema: stuck.Schema, Domain: "stuck.test", Name: "stuck"}); err != nil {
		t.Fatal(err)
	}

	out, code := run(t, nil, "migrate", "--tenants")
	if code == 0 || !strings.Contains(out, stuck.Schema+": FAILED to move role "+legacyRoles().For(stuck.Schema)+" to "+stuck.Role) ||
		!strings.Contains(out, "tenancy.role_prefix") || !strings.Contains(out, "keep their old role") {
		t.Fatalf("migrate (exit %d) did not fail %s alone, naming tenancy.role_prefix:\n%s", code, stuck.Schema, out)
	}
	if !strings.Contains(out, movable.Schema+": role "+legacyRoles().For(movable.Schema)+" -> "+movable.Role) || !strings.Contains(out, "0 failed") {
		t.Fatalf("migrate did not move and migrate the other tenant:\n%s", out)
	}
	readAs(t, apptest.DB(t), stuck.Schema, legacyRoles().For(stuck.Schema))
	readAs(t, other, stuck.Schema, stuck.Role)
}
