package tenant_test

import (
	"context"
	"io/fs"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
	"polls/app/embeddedpg"
	"polls/app/tenant"
	"polls/migrations"
)

// richMigration uses every kind of object the template reader copies, and a
// row inserted by a migration, which a template must carry too.
const richMigration = `
CREATE TABLE polls_tag (
    id        integer GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5) PRIMARY KEY,
    name      varchar(50) COLLATE "C" NOT NULL UNIQUE,
    slug      text GENERATED ALWAYS AS (lower(name)) STORED,
    weight    numeric(6, 2) DEFAULT 1.5 CHECK (weight > 0),
    question  bigint REFERENCES polls_question (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED
);
CREATE UNLOGGED TABLE polls_scratch ();
CREATE SEQUENCE polls_ticket START 100 INCREMENT 3 CACHE 2 CYCLE MAXVALUE 100000;
CREATE INDEX polls_tag_lower_name ON polls_tag (lower(name)) WHERE weight > 2;
CREATE VIEW polls_popular AS SELECT q.id, q.question_text, sum(c.votes) AS votes
    FROM polls_question q JOIN polls_choice c ON c.question_id = q.id GROUP BY q.id;
CREATE TRIGGER polls_tag_touch BEFORE UPDATE ON polls_tag FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
COMMENT ON TABLE polls_tag IS 'Tags, with an apostrophe''s worth of quoting';
COMMENT ON COLUMN polls_tag.slug IS 'lowercased name';
ALTER TABLE polls_question ADD COLUMN note text NOT NULL DEFAULT '';
INSERT INTO polls_tag (name) VALUES ('Seed');
SELECT nextval('polls_ticket');
`

// withMigration is the real tenant migrations plus one more, numbered last.
func withMigration(sql string) fs.FS {
	return migrations.TenantWith(map[string]string{"900000_extra.up.sql": sql, "900000_extra.down.sql": "SELECT 1;"})
}

// createWith creates a tenant with p and returns its schema.
func createWith(t *testing.T, p *tenant.Provisioner) string {
	t.Helper()
	schema := "t_" + apptest.RandomName(10)
	dropAfter(t, schema)
	if err := p.Create(context.Background(), tenant.NewTenant{Schema: schema, Domain: "tpl-" + apptest.RandomName(8) + ".test"}); err != nil {
		t.Fatalf("create %s: %v", schema, err)
	}
	return schema
}

// dumpSchema is pg_dump --schema-only of one schema, with its name and its
// role's name replaced, so that two tenants' dumps compare equal when their
// structures are.
func dumpSchema(t *testing.T, schema string) string {
	t.Helper()
	dir, err := embeddedpg.FindBinaries()
	if err != nil {
		t.Fatal(err)
	}
	var role string
	if err := apptest.DB(t).SQL.QueryRow(`SELECT COALESCE(role_name, '') FROM public.tenants WHERE schema_name = $1`, schema).Scan(&role); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(filepath.Join(dir, "pg_dump"), "--schema-only", "-n", schema, apptest.URL(t)).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump %s: %v\n%s", schema, err, out)
	}
	text := string(out)
	if role != "" {
		text = strings.ReplaceAll(text, role, "ROLE")
	}
	text = strings.ReplaceAll(text, schema, "SCHEMA")
	return regexp.MustCompile(`(?m)^(-- Dumped (from|by)|\\(un)?restrict ).*$`).ReplaceAllString(text, "")
}

func assertSameStructure(t *testing.T, a, b string) {
	t.Helper()
	da, db := dumpSchema(t, a), dumpSchema(t, b)
	if da != db {
		t.Fatalf("%s and %s differ:\n--- %s\n%s\n--- %s\n%s", a, b, a, da, b, db)
	}
	if !strings.Contains(da, "CREATE TABLE SCHEMA.polls_question") {
		t.Fatalf("the dump of %s has no polls_question table:\n%s", a, da)
	}
}

// TestTemplateBuildsWhatTheMigrationsBuild compares a tenant built from the
// template with one built by replaying the migrations, for the real set and
// after a new migration that uses every kind of object the template copies.
func TestTemplateBuildsWhatTheMigrationsBuild(t *testing.T) {
	for name, src := range map[string]fs.FS{"real": migrations.Tenant(), "after a new migration": withMigration(richMigration)} {
		t.Run(name, func(t *testing.T) {
			fromTemplate := newProvisioner(t)
			fromTemplate.Migrations = src
			replayed := newProvisioner(t)
			replayed.Migrations, replayed.Replay = src, true
			a, b := createWith(t, fromTemplate), createWith(t, replayed)
			assertSameStructure(t, a, b)
			if name == "real" {
				return
			}
			db := apptest.DB(t).SQL
			var seeds, tickets [2]string
			for i, s := range []string{a, b} {
				if err := db.QueryRow(`SELECT name || ':' || id || ':' || slug FROM ` + pgx.Identifier{s, "polls_tag"}.Sanitize()).Scan(&seeds[i]); err != nil {
					t.Fatal(err)
				}
				if err := db.QueryRow(`SELECT nextval($1)::text`, pgx.Identifier{s, "polls_ticket"}.Sanitize()).Scan(&tickets[i]); err != nil {
					t.Fatal(err)
				}
			}
			if seeds[0] != "Seed:10:seed" || seeds[1] != seeds[0] {
				t.Errorf("the migration's seed row is %q from the template and %q replayed, want Seed:10:seed in both", seeds[0], seeds[1])
			}
			if tickets[0] != tickets[1] || tickets[0] == "100" {
				t.Errorf("the sequence the migration advanced gives %s from the template and %s replayed, want the same, past 100", tickets[0], tickets[1])
			}
		})
	}
}

// TestCreateUsesTheRecordedTemplate marks the recorded template, then sees
// the mark in a new tenant, and not in one built with the template off.
func TestCreateUsesTheRecordedTemplate(t *testing.T) {
	ctx := context.Background()
	src := withMigration("CREATE TABLE polls_marked_set (id int);")
	p := newProvisioner(t)
	p.Migrations = src
	tpl, _, err := p.RecordTemplate(ctx)
	if err != nil || tpl.Unusable != "" || tpl.Version != 900000 {
		t.Fatalf("RecordTemplate = %+v, %v; want a usable template at version 900000", tpl, err)
	}
	db := apptest.DB(t).SQL
	if _, err := db.Exec(`UPDATE public.tenant_templates SET ddl = ddl || 'CREATE TABLE built_from_template ();' WHERE digest = $1`, tpl.Digest); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Exec(`DELETE FROM public.tenant_templates WHERE digest = $1`, tpl.Digest) })
	marked := func(schema string) bool {
		var ok bool
		if err := db.QueryRow(`SELECT to_regclass($1) IS NOT NULL`, pgx.Identifier{schema, "built_from_template"}.Sanitize()).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if s := createWith(t, p); !marked(s) {
		t.Errorf("%s was not built from the recorded template", s)
	}
	p.Replay = true
	if s := createWith(t, p); marked(s) {
		t.Errorf("%s was built from the template with Replay set", s)
	}
}

// TestAnUncopyableMigrationFallsBackToReplaying: a function in the tenant
// schema is beyond the template reader, which says so once; tenants are
// still built, by their migrations.
func TestAnUncopyableMigrationFallsBackToReplaying(t *testing.T) {
	ctx := context.Background()
	p := newProvisioner(t)
	p.Migrations = withMigration("CREATE FUNCTION polls_answer() RETURNS int LANGUAGE sql AS 'SELECT 42';")
	tpl, _, err := p.RecordTemplate(ctx)
	if err != nil || !strings.Contains(tpl.Unusable, "function polls_answer") {
		t.Fatalf("RecordTemplate = %+v, %v; want it unusable because of the function", tpl, err)
	}
	t.Cleanup(func() { apptest.DB(t).SQL.Exec(`DELETE FROM public.tenant_templates WHERE digest = $1`, tpl.Digest) })
	s := createWith(t, p)
	var answer int
	if err := apptest.DB(t).SQL.QueryRow(`SELECT ` + pgx.Identifier{s, "polls_answer"}.Sanitize() + `()`).Scan(&answer); err != nil || answer != 42 {
		t.Fatalf("the replayed tenant's function answered %d (%v), want 42", answer, err)
	}
}

// TestRecordingAfterAKilledRecording: a recording killed midway leaves its
// scratch schema and no row; the next one drops the scratch, records, and
// leaves no scratch behind.
func TestRecordingAfterAKilledRecording(t *testing.T) {
	ctx := context.Background()
	p := newProvisioner(t)
	p.Migrations = withMigration("CREATE TABLE polls_after_kill (id int);")
	digest, err := tenant.Digest(p.Migrations)
	if err != nil {
		t.Fatal(err)
	}
	db := apptest.DB(t).SQL
	scratch := pgx.Identifier{"polls-template-" + digest[:12]}.Sanitize()
	if _, err := db.Exec(`CREATE SCHEMA ` + scratch + `; CREATE TABLE ` + scratch + `.half_done (id int)`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Exec(`DROP SCHEMA IF EXISTS ` + scratch + ` CASCADE`)
		db.Exec(`DELETE FROM public.tenant_templates WHERE digest = $1`, digest)
	})
	tpl, recorded, err := p.RecordTemplate(ctx)
	if err != nil || !recorded || tpl.Unusable != "" || strings.Contains(tpl.SQL, "half_done") || !strings.Contains(tpl.SQL, "polls_after_kill") {
		t.Fatalf("RecordTemplate after a killed one = %+v, recorded %v, %v", tpl, recorded, err)
	}
	var left int
	if err := db.QueryRow(`SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'polls-template-%' AND nspname = $1`, "polls-template-"+digest[:12]).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d scratch schemas left (%v)", left, err)
	}
	if _, recorded, err := p.RecordTemplate(ctx); err != nil || recorded {
		t.Fatalf("a second RecordTemplate recorded again (%v, %v): the row should be reused", recorded, err)
	}
}
