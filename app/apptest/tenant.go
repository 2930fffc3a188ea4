package apptest

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"polls/app/tenant"
)

// Tenant is a tenant made for one test.
type Tenant struct {
	Schema string
	Domain string
	Name   string
}

// NewTenant creates a tenant through the real provisioning code (so tenant
// migrations run every time), served at <schema>.test, dropped after the test.
func NewTenant(t testing.TB) Tenant {
	t.Helper()
	db := DB(t)
	schema := "t_" + RandomName(10)
	tn := Tenant{Schema: schema, Domain: strings.ReplaceAll(schema, "_", "-") + ".test", Name: "Tenant " + schema}
	p := &tenant.Provisioner{SQL: db.SQL, URL: URL(t)}
	if err := p.Create(context.Background(), tenant.NewTenant{Schema: tn.Schema, Domain: tn.Domain, Name: tn.Name}); err != nil {
		t.Fatalf("create tenant %s: %v", schema, err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		_, _ = db.SQL.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
		_, _ = db.SQL.ExecContext(ctx, "DELETE FROM public.tenants WHERE schema_name = $1", schema)
	})
	return tn
}

// Exec runs SQL inside the tenant's schema (for arranging test data), in a
// transaction scoped exactly as requests are.
func (tn Tenant) Exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	ctx := context.Background()
	tx, err := tenant.Begin(ctx, DB(t).SQL, tn.Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := tx.Gorm(ctx, DB(t).Gorm).Exec(sql, args...).Error; err != nil {
		t.Fatalf("exec in %s: %v", tn.Schema, err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}
