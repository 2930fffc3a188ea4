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

// cloneOf clones src into a new schema and returns it.
func cloneOf(t *testing.T, src apptest.Tenant, withRows bool) string {
	t.Helper()
	schema := "t_" + apptest.RandomName(10)
	dropAfter(t, schema)
	err := newProvisioner(t).Clone(context.Background(), src.Schema,
		tenant.NewTenant{Schema: schema, Domain: "clone-" + apptest.RandomName(8) + ".test", Name: "Clone"}, withRows)
	if err != nil {
		t.Fatalf("clone %s into %s: %v", src.Schema, schema, err)
	}
	return schema
}

func roleOf(t *testing.T, schema string) string {
	t.Helper()
	var role string
	if err := apptest.DB(t).SQL.QueryRow(`SELECT COALESCE(role_name, '') FROM public.tenants WHERE schema_name = $1`, schema).Scan(&role); err != nil {
		t.Fatal(err)
	}
	return role
}

// sourceWithRows is a tenant with a question, two choices, a user, and an
// index added by hand (which its migrations do not make).
func sourceWithRows(t *testing.T) apptest.Tenant {
	src := apptest.NewTenant(t)
	src.AddQuestion(t, 7, "What's new?", "-1 hour", apptest.Choice{ID: 11, Text: "Not much", Votes: 3}, apptest.Choice{ID: 12, Text: "The sky", Votes: 5})
	src.Exec(t, `INSERT INTO auth_user (password, username, is_superuser, is_staff) VALUES ('argon2$x', 'admin', true, true)`)
	if _, err := apptest.DB(t).SQL.Exec(`CREATE INDEX polls_choice_votes ON ` + pgx.Identifier{src.Schema, "polls_choice"}.Sanitize() + ` (votes)`); err != nil {
		t.Fatal(err)
	}
	return src
}

func TestCloneWithRows(t *testing.T) {
	src := sourceWithRows(t)
	clone := cloneOf(t, src, true)
	assertSameStructure(t, src.Schema, clone)

	db := apptest.DB(t).SQL
	summary := func(schema string) string {
		var s string
		q := `SELECT string_agg(q.question_text || '/' || c.choice_text || '=' || c.votes, ', ' ORDER BY c.id) FROM ` +
			pgx.Identifier{schema, "polls_question"}.Sanitize() + ` q JOIN ` + pgx.Identifier{schema, "polls_choice"}.Sanitize() + ` c ON c.question_id = q.id`
		if err := db.QueryRow(q).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got, want := summary(clone), summary(src.Schema); got != want || got == "" {
		t.Fatalf("the clone's polls are %q, the source's %q", got, want)
	}
	var user string
	if err := db.QueryRow(`SELECT username FROM ` + pgx.Identifier{clone, "auth_user"}.Sanitize()).Scan(&user); err != nil || user != "admin" {
		t.Fatalf("the clone's user is %q (%v), want admin", user, err)
	}
	// Its sequences are past the copied rows: new rows do not collide.
	var id int64
	if err := db.QueryRow(`INSERT INTO ` + pgx.Identifier{clone, "auth_user"}.Sanitize() + ` (password, username) VALUES ('x', 'second') RETURNING id`).Scan(&id); err != nil || id != 2 {
		t.Fatalf("a new user in the clone got id %d (%v), want 2", id, err)
	}
}

func TestCloneWithoutRowsIsEmptyAndAtTheSourceVersion(t *testing.T) {
	src := sourceWithRows(t)
	clone := cloneOf(t, src, false)
	assertSameStructure(t, src.Schema, clone)
	db := apptest.DB(t).SQL
	var questions, users int
	var version, srcVersion int64
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM `+pgx.Identifier{clone, "polls_question"}.Sanitize()+`), (SELECT count(*) FROM `+
		pgx.Identifier{clone, "auth_user"}.Sanitize()+`), (SELECT version FROM `+pgx.Identifier{clone, "schema_migrations"}.Sanitize()+`), (SELECT version FROM `+
		pgx.Identifier{src.Schema, "schema_migrations"}.Sanitize()+`)`).Scan(&questions, &users, &version, &srcVersion); err != nil {
		t.Fatal(err)
	}
	if questions != 0 || users != 0 || version != srcVersion {
		t.Fatalf("the clone has %d questions, %d users and version %d; want none, none and %d", questions, users, version, srcVersion)
	}
}

// TestACloneSharesNothingWithItsSource: the clone's objects belong to a
// role of its own, which PostgreSQL keeps out of the source.
func TestACloneSharesNothingWithItsSource(t *testing.T) {
	src := sourceWithRows(t)
	clone := cloneOf(t, src, true)
	role := roleOf(t, clone)
	if role == "" || role == roleOf(t, src.Schema) {
		t.Fatalf("the clone's role is %q, the source's %q: want one of its own", role, roleOf(t, src.Schema))
	}
	var others int
	if err := apptest.DB(t).SQL.QueryRow(`SELECT count(*) FROM pg_class WHERE relnamespace = $1::regnamespace AND pg_get_userbyid(relowner) <> $2`,
		pgx.Identifier{clone}.Sanitize(), role).Scan(&others); err != nil || others != 0 {
		t.Fatalf("%d of the clone's relations belong to another role than %s (%v)", others, role, err)
	}
	ctx := context.Background()
	db := apptest.DB(t)
	tx, err := tenant.BeginAs(ctx, db.SQL, clone, role)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	err = tx.Gorm(ctx, db.Gorm).Exec(`SELECT * FROM ` + pgx.Identifier{src.Schema, "polls_question"}.Sanitize()).Error
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		t.Fatalf("the clone's role reading its source: %v, want permission denied", err)
	}
}

func TestCloneRefusals(t *testing.T) {
	ctx := context.Background()
	src := apptest.NewTenant(t)
	taken := apptest.NewTenant(t)
	p := newProvisioner(t)
	var exists *tenant.ExistsError
	if err := p.Clone(ctx, src.Schema, tenant.NewTenant{Schema: taken.Schema, Domain: "c-" + apptest.RandomName(6) + ".test"}, true); !errors.As(err, &exists) {
		t.Errorf("clone into a taken schema: %v, want ExistsError", err)
	}
	if err := p.Clone(ctx, "t_no_such_tenant", tenant.NewTenant{Schema: "t_" + apptest.RandomName(10), Domain: "c-" + apptest.RandomName(6) + ".test"}, true); !errors.Is(err, tenant.ErrNoSuchTenant) {
		t.Errorf("clone of an unknown tenant: %v, want ErrNoSuchTenant", err)
	}
	// A source holding what polls cannot copy is refused, and nothing is left.
	src.Exec(t, `CREATE FUNCTION polls_answer() RETURNS int LANGUAGE sql AS 'SELECT 42'`)
	schema, domain := "t_"+apptest.RandomName(10), "c-"+apptest.RandomName(6)+".test"
	dropAfter(t, schema)
	err := p.Clone(ctx, src.Schema, tenant.NewTenant{Schema: schema, Domain: domain}, true)
	var unsupported *tenant.UnsupportedError
	if !errors.As(err, &unsupported) || !strings.Contains(err.Error(), "function polls_answer") {
		t.Fatalf("clone of a tenant with a function: %v, want an UnsupportedError naming it", err)
	}
	assertNoTrace(t, schema, domain)
}
