package tenant_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"polls/app/apptest"
	"polls/app/tenant"
)

// asTenant runs sql in a request transaction of tn, as its role.
func asTenant(t *testing.T, tn apptest.Tenant, sql string) error {
	t.Helper()
	ctx := context.Background()
	db := apptest.DB(t)
	tx, err := tenant.BeginAs(ctx, db.SQL, tn.Schema, tn.Role)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	return tx.Gorm(ctx, db.Gorm).Exec(sql).Error
}

func TestPostgreSQLRefusesCrossTenantAccess(t *testing.T) {
	a, b := apptest.NewTenant(t), apptest.NewTenant(t)
	tests := []struct {
		name string
		sql  string
	}{
		{"other tenant's table", `SELECT * FROM "` + b.Schema + `".polls_question`},
		{"other tenant's insert", `INSERT INTO "` + b.Schema + `".polls_question (question_text, pub_date) VALUES ('x', now())`},
		{"registry tenants", `SELECT * FROM public.tenants`},
		{"registry domains", `UPDATE public.domains SET domain = 'stolen.test'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := asTenant(t, a, tt.sql)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
				t.Fatalf("got %v, want PostgreSQL's permission error (42501)", err)
			}
		})
	}
	// A path switched by hand skips a schema the role may not use, so the
	// other tenant's table is simply not found.
	err := asTenant(t, a, `SET LOCAL search_path TO "`+b.Schema+`"; SELECT * FROM polls_question`)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42P01" {
		t.Fatalf("through a hand-set search_path got %v, want PostgreSQL's undefined_table (42P01)", err)
	}
	if err := asTenant(t, a, `SELECT * FROM polls_question`); err != nil {
		t.Fatalf("own table: %v", err)
	}
}

func TestTenantObjectsBelongToTheTenantRole(t *testing.T) {
	a := apptest.NewTenant(t)
	var owners []string
	err := apptest.DB(t).Gorm.Raw(`SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class
		WHERE relnamespace = ?::regnamespace AND relkind IN ('r','S','i')`, pgx.Identifier{a.Schema}.Sanitize()).Scan(&owners).Error
	if err != nil {
		t.Fatal(err)
	}
	want := a.Role
	if len(owners) != 1 || owners[0] != want {
		t.Fatalf("objects of %s are owned by %v, want only %s", a.Schema, owners, want)
	}
}

func TestRoleNamesForLongSchemaNames(t *testing.T) {
	long := strings.Repeat("a", 63)
	other := strings.Repeat("a", 62) + "b"
	for _, prefix := range []string{"polls_tenant_", "polls_3fa2c1_", strings.Repeat("p", 30)} {
		roles := tenant.Roles{Prefix: prefix}
		if r := roles.For(long); len(r) > 63 || r == roles.For(other) || !strings.HasPrefix(r, prefix) {
			t.Fatalf("prefix %s: For(63 chars) = %q (%d chars), want <= 63, the prefix, and distinct from a near name", prefix, r, len(r))
		}
	}
	if got := (tenant.Roles{Prefix: "polls_3fa2c1_"}).For("client1"); got != "polls_3fa2c1_client1" {
		t.Fatalf("For(client1) = %q", got)
	}
}

func TestCheckCanCreateRolesNamesThePrivilege(t *testing.T) {
	ctx := context.Background()
	db := apptest.DB(t)
	user := "weak_" + apptest.RandomName(6)
	if _, err := db.SQL.ExecContext(ctx, `CREATE ROLE `+user+` LOGIN`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.SQL.Exec(`DROP ROLE ` + user); err != nil {
			t.Errorf("drop role %s: %v", user, err)
		}
	})
	cfg, err := pgx.ParseConfig(apptest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.User = user
	weak, err := openAs(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer weak.Close()
	err = tenant.CheckCanCreateRoles(ctx, weak)
	if !errors.Is(err, tenant.ErrCannotCreateRoles) || !strings.Contains(err.Error(), `ALTER ROLE "`+user+`" CREATEROLE`) ||
		!strings.Contains(err.Error(), "isolation: search_path") {
		t.Fatalf("got %v, want the missing privilege, how to grant it, and the explicit alternative", err)
	}
	if err := tenant.CheckCanCreateRoles(ctx, db.SQL); err != nil {
		t.Fatalf("superuser: %v", err)
	}
}
