package tenant_test

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
	"polls/app/tenant"
)

// twoStepMigrations makes a table at version 1 and, at version 2, a column
// whose value is computed from the rows already there.
func twoStepMigrations() fstest.MapFS {
	return fstest.MapFS{
		"000001_notes.up.sql":    {Data: []byte("CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL);")},
		"000001_notes.down.sql":  {Data: []byte("DROP TABLE notes;")},
		"000002_length.up.sql":   {Data: []byte("ALTER TABLE notes ADD COLUMN length int; UPDATE notes SET length = length(body);")},
		"000002_length.down.sql": {Data: []byte("ALTER TABLE notes DROP COLUMN length;")},
	}
}

// TestFillAtAnEarlierVersionRunsTheLaterMigrationsOverItsRows is import's
// path: rows of version 1 go in, and version 2's data migration sees them
// before the tenant is served.
func TestFillAtAnEarlierVersionRunsTheLaterMigrationsOverItsRows(t *testing.T) {
	ctx := context.Background()
	schema := "t_" + apptest.RandomName(10)
	dropAfter(t, schema)
	p := newProvisioner(t)
	p.Migrations = twoStepMigrations()
	var sawVersion int64
	err := p.Create(ctx, tenant.NewTenant{Schema: schema, Domain: "fill-" + apptest.RandomName(6) + ".test", Version: 1,
		Fill: func(ctx context.Context, tx pgx.Tx) error {
			if err := tx.QueryRow(ctx, `SELECT version FROM schema_migrations`).Scan(&sawVersion); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO notes VALUES (1, 'four')`)
			return err
		}})
	if err != nil {
		t.Fatal(err)
	}
	if sawVersion != 1 {
		t.Errorf("Fill ran at version %d, want 1", sawVersion)
	}
	var length int
	if err := apptest.DB(t).SQL.QueryRow(`SELECT length FROM ` + pgx.Identifier{schema, "notes"}.Sanitize()).Scan(&length); err != nil || length != 4 {
		t.Fatalf("after the later migration the filled row has length %d (%v), want 4", length, err)
	}
}

func TestAFailingFillLeavesNothing(t *testing.T) {
	ctx := context.Background()
	schema := "t_" + apptest.RandomName(10)
	domain := "fill-" + apptest.RandomName(6) + ".test"
	dropAfter(t, schema)
	boom := errors.New("boom")
	err := newProvisioner(t).Create(ctx, tenant.NewTenant{Schema: schema, Domain: domain,
		Fill: func(ctx context.Context, tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO polls_question (question_text, pub_date) VALUES ('q', now())`); err != nil {
				return err
			}
			return boom
		}})
	if !errors.Is(err, boom) {
		t.Fatalf("Create with a failing Fill: %v, want it to wrap the Fill's error", err)
	}
	assertNoTrace(t, schema, domain)
}

// TestFillFromTheTemplateIsTheCreationsOwnTransaction: with a template, a
// Fill runs inside the one transaction that builds the tenant (sign-up's
// path): while it runs, no other connection sees the new schema, its rows
// land with the structure, and a Fill cannot commit that transaction itself.
func TestFillFromTheTemplateIsTheCreationsOwnTransaction(t *testing.T) {
	ctx := context.Background()
	schema := "t_" + apptest.RandomName(10)
	dropAfter(t, schema)
	db := apptest.DB(t).SQL
	var seenOutside, commitErr error
	var visible bool
	err := newProvisioner(t).Create(ctx, tenant.NewTenant{Schema: schema, Domain: "fill-" + apptest.RandomName(6) + ".test",
		Fill: func(ctx context.Context, tx pgx.Tx) error {
			seenOutside = db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, schema).Scan(&visible)
			commitErr = tx.Commit(ctx)
			_, err := tx.Exec(ctx, `INSERT INTO polls_question (question_text, pub_date) VALUES ('filled', now())`)
			return err
		}})
	if err != nil {
		t.Fatal(err)
	}
	if seenOutside != nil || visible {
		t.Errorf("during Fill another connection saw the new schema (%v, %v): Fill ran after the structure was committed, not in the template's transaction", visible, seenOutside)
	}
	if commitErr == nil {
		t.Error("a Fill could commit the creation's transaction itself")
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM ` + pgx.Identifier{schema, "polls_question"}.Sanitize() + ` WHERE question_text = 'filled'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the filled row: %d (%v), want 1", n, err)
	}
}
