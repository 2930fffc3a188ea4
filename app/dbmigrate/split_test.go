package dbmigrate

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"polls/migrations"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name   string
		script string
		want   []string
	}{
		{"empty", "", nil},
		{"only comments", "-- a;\n/* b; */\n  ", nil},
		{"two statements", "CREATE TABLE a (x int);\nCREATE INDEX ai ON a (x);\n", []string{"CREATE TABLE a (x int)", "CREATE INDEX ai ON a (x)"}},
		{"no final semicolon", "SELECT 1; SELECT 2", []string{"SELECT 1", "SELECT 2"}},
		{"empty statements", ";;SELECT 1;;", []string{"SELECT 1"}},
		{"line comment", "SELECT 1 -- not; the end\n, 2; SELECT 3", []string{"SELECT 1 -- not; the end\n, 2", "SELECT 3"}},
		{"line comment at the end", "SELECT 1; -- done;", []string{"SELECT 1"}},
		{"block comment", "SELECT /* ; */ 1; SELECT 2", []string{"SELECT /* ; */ 1", "SELECT 2"}},
		{"nested block comment", "SELECT /* a /* b; */ c; */ 1; SELECT 2", []string{"SELECT /* a /* b; */ c; */ 1", "SELECT 2"}},
		{"string", "SELECT 'a;b'; SELECT 2", []string{"SELECT 'a;b'", "SELECT 2"}},
		{"doubled quote", "SELECT 'it''s; here'; SELECT 2", []string{"SELECT 'it''s; here'", "SELECT 2"}},
		{"backslash in a plain string ends nothing", `SELECT 'a\'; SELECT 2`, []string{`SELECT 'a\'`, "SELECT 2"}},
		{"escape string", `SELECT E'a\'; b'; SELECT 2`, []string{`SELECT E'a\'; b'`, "SELECT 2"}},
		{"lower-case escape string", `SELECT e'\\'; SELECT 2`, []string{`SELECT e'\\'`, "SELECT 2"}},
		{"word ending in e is no escape string", `SELECT some'a\'; SELECT 2`, []string{`SELECT some'a\'`, "SELECT 2"}},
		{"quoted identifier", `CREATE TABLE "a;b" (x int); SELECT 2`, []string{`CREATE TABLE "a;b" (x int)`, "SELECT 2"}},
		{"doubled quote in identifier", `SELECT "a"";b"; SELECT 2`, []string{`SELECT "a"";b"`, "SELECT 2"}},
		{"comment marks in a string", "SELECT '--', '/*'; SELECT 2", []string{"SELECT '--', '/*'", "SELECT 2"}},
		{"quote in a comment", "SELECT 1 /* it's */; SELECT 2 -- it's\n; SELECT 3", []string{"SELECT 1 /* it's */", "SELECT 2 -- it's", "SELECT 3"}},
		{"dollar body", "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; SELECT 2",
			[]string{"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", "SELECT 2"}},
		{"tagged dollar body holding $$", "DO $body$ BEGIN PERFORM $$;$$; END $body$; SELECT 2",
			[]string{"DO $body$ BEGIN PERFORM $$;$$; END $body$", "SELECT 2"}},
		{"parameter is no dollar quote", "PREPARE p AS SELECT $1; SELECT 2", []string{"PREPARE p AS SELECT $1", "SELECT 2"}},
		{"dollar inside an identifier", "SELECT a$b$c; SELECT 2", []string{"SELECT a$b$c", "SELECT 2"}},
		{"unterminated string runs to the end", "SELECT 'a; SELECT 2", []string{"SELECT 'a; SELECT 2"}},
		{"unterminated comment runs to the end", "SELECT 1 /* a; SELECT 2", []string{"SELECT 1 /* a; SELECT 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Split(tt.script); !slices.Equal(got, tt.want) {
				t.Errorf("Split(%q)\n got %q\nwant %q", tt.script, got, tt.want)
			}
		})
	}
}

// TestSplitTenantMigrations: every tenant migration comes apart into
// statements none of which is empty, and nothing but space, comments and
// the semicolons is lost.
func TestSplitTenantMigrations(t *testing.T) {
	steps, err := loadSteps(migrations.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		stmts := Split(s.body)
		if len(stmts) == 0 {
			t.Errorf("%s: no statements", s.name)
		}
		for _, st := range stmts {
			if strings.HasPrefix(st, "BEGIN") || strings.HasPrefix(st, "COMMIT") {
				t.Errorf("%s: the transaction lines should have been unwrapped, got %q", s.name, st)
			}
		}
	}
}

// pieces are statement fragments, each one token for the splitter, many
// holding a ';' or a comment mark that must not end a statement.
var pieces = []string{
	"SELECT", "1", "x", "a$b", "$1", ",", " ", "\n", "\t",
	"'a;b'", "'it''s;'", "E'\\';'", "e'\\\\'", "'--;'", "'/*;'",
	`"q;t"`, `"a"";b"`, "-- c; '\n", "/* c; ' */", "/* a /* b; */ ; */",
	"$$;$$", "$$ it's; $$", "$t$ $$; $t$", "$body$ /* ; $body$",
}

// TestSplitProperty builds random scripts from statements of random pieces
// and checks that Split gives those statements back, whatever the pieces
// hide in strings, comments and dollar bodies.
func TestSplitProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 2026))
	for n := range 5000 {
		var want []string
		var script strings.Builder
		for range 1 + r.IntN(5) {
			var st strings.Builder
			st.WriteString("SELECT ")
			for range r.IntN(8) {
				st.WriteString(pieces[r.IntN(len(pieces))])
				st.WriteString(" ") // glued, a$b$$ would be one identifier to PostgreSQL too
			}
			st.WriteString(" x") // never ends in a line comment, which would swallow the ';'
			want = append(want, strings.TrimSpace(st.String()))
			script.WriteString(st.String())
			script.WriteString(";")
			if r.IntN(3) == 0 {
				script.WriteString(" -- between; statements\n")
			}
		}
		if got := Split(script.String()); !slices.Equal(got, want) {
			t.Fatalf("case %d: Split(%q)\n got %q\nwant %q", n, script.String(), got, want)
		}
	}
}
