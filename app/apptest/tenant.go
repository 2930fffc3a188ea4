package apptest

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"polls/app/tenant"
)

// Tenant is a tenant made for one test.
type Tenant struct {
	Schema string
	Domain string
	Name   string
	Role   string // the role owning the schema, as the registry records it
}

// NewTenant creates a tenant through the real provisioning code (so tenant
// migrations run every time), served at <schema>.test, dropped after the test.
func NewTenant(t testing.TB) Tenant {
	t.Helper()
	return NewTenantSpeaking(t, tenant.Language{})
}

// NewTenantSpeaking is NewTenant for a tenant whose pages speak lang (its
// Own "" is English).
func NewTenantSpeaking(t testing.TB, lang tenant.Language) Tenant {
	t.Helper()
	db := DB(t)
	schema := "t_" + RandomName(10)
	tn := Tenant{Schema: schema, Domain: strings.ReplaceAll(schema, "_", "-") + ".test", Name: "Tenant " + schema}
	p := &tenant.Provisioner{SQL: db.SQL, URL: URL(t), Roles: Roles(t)}
	ctx := context.Background()
	if err := p.Create(ctx, tenant.NewTenant{Schema: tn.Schema, Domain: tn.Domain, Name: tn.Name, Language: lang}); err != nil {
		t.Fatalf("create tenant %s: %v", schema, err)
	}
	t.Cleanup(func() {
		_, _ = db.SQL.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
		_, _ = db.SQL.ExecContext(ctx, "DELETE FROM public.tenants WHERE schema_name = $1", schema)
		DropRole(t, db.SQL, tn.Role)
	})
	err := db.SQL.QueryRowContext(ctx, `SELECT COALESCE(role_name, '') FROM public.tenants WHERE schema_name = $1`, schema).Scan(&tn.Role)
	if err != nil {
		t.Fatalf("read the role of tenant %s: %v", schema, err)
	}
	return tn
}

// DropRole drops a role the test made, with whatever it owns in db; roles
// outlive the test database, being the server's. Errors are ignored: the
// role may be gone already.
func DropRole(t testing.TB, db *sql.DB, role string) {
	t.Helper()
	if role == "" {
		return
	}
	ctx := context.Background()
	r := pgx.Identifier{role}.Sanitize()
	_, _ = db.ExecContext(ctx, "DROP OWNED BY "+r)
	_, _ = db.ExecContext(ctx, "DROP ROLE IF EXISTS "+r)
}

// Do runs fn in a transaction scoped to the tenant's schema exactly as
// requests are (search_path only: it acts as the schema's owner), and commits.
func (tn Tenant) Do(t testing.TB, fn func(tx *gorm.DB) error) {
	t.Helper()
	ctx := context.Background()
	db := DB(t)
	tx, err := tenant.Begin(ctx, db.SQL, tn.Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := fn(tx.Gorm(ctx, db.Gorm)); err != nil {
		t.Fatalf("in %s: %v", tn.Schema, err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

// Exec runs SQL inside the tenant's schema (for arranging test data).
func (tn Tenant) Exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	tn.Do(t, func(tx *gorm.DB) error { return tx.Exec(sql, args...).Error })
}

// Scan runs a query inside the tenant's schema and scans its result into dest
// (a pointer to a value for one row, to a slice for many).
func (tn Tenant) Scan(t testing.TB, dest any, query string, args ...any) {
	t.Helper()
	tn.Do(t, func(tx *gorm.DB) error { return tx.Raw(query, args...).Scan(dest).Error })
}

// Choice is a choice to add with its question: its id, its text and the
// votes it starts with.
type Choice struct {
	ID    int64
	Text  string
	Votes int
}

// AddQuestion inserts a question published at now() + age (e.g. "-1 hour"),
// and its choices in the order given, in one transaction.
func (tn Tenant) AddQuestion(t testing.TB, id int64, text, age string, choices ...Choice) {
	t.Helper()
	tn.Do(t, func(tx *gorm.DB) error {
		if err := tx.Exec("INSERT INTO polls_question (id, question_text, pub_date) VALUES (?, ?, now() + ?::interval)", id, text, age).Error; err != nil {
			return err
		}
		for _, c := range choices {
			if err := tx.Exec("INSERT INTO polls_choice (id, question_id, choice_text, votes) VALUES (?, ?, ?, ?)", c.ID, id, c.Text, c.Votes).Error; err != nil {
				return err
			}
		}
		return nil
	})
}
