package dbmigrate

import (
	"strings"
	"testing"
)

// TestUnwrap: the runner takes a file that is one BEGIN/COMMIT transaction
// and runs its body in its own; anything else goes to golang-migrate.
func TestUnwrap(t *testing.T) {
	for _, tc := range []struct {
		sql  string
		own  bool
		body string
	}{
		{"-- why\nBEGIN;\nALTER TABLE a ADD COLUMN b int;\nCOMMIT;\n", false, "ALTER TABLE a ADD COLUMN b int;"},
		{"begin;\nCREATE TABLE a (id int);\ncommit;\n-- done\n", false, "CREATE TABLE a (id int);"},
		{"CREATE TABLE a (id int);\n", false, "CREATE TABLE a (id int);"},
		{"CREATE INDEX CONCURRENTLY a_b ON a (b);\n", true, ""},
		{"BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nBEGIN;\nCREATE TABLE b (id int);\nCOMMIT;\n", true, ""},
		{"CREATE TABLE x (id int);\nBEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n", true, ""},
	} {
		s := unwrap(1, "1_x.up.sql", tc.sql)
		if s.own != tc.own || !s.own && strings.TrimSpace(s.body) != tc.body {
			t.Errorf("unwrap(%q) = own %v, body %q; want own %v, body %q", tc.sql, s.own, s.body, tc.own, tc.body)
		}
	}
}
