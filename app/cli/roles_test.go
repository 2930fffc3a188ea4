package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"polls/app/apptest"
)

func TestMigrateGivesOlderTenantsTheirOwnRole(t *testing.T) {
	weak := filepath.Join(t.TempDir(), "search_path.yaml")
	if err := os.WriteFile(weak, []byte("tenancy:\n  isolation: search_path\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	schema := "t_" + apptest.RandomName(10)
	t.Cleanup(func() {
		apptest.DB(t).SQL.Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`)
		apptest.DB(t).SQL.Exec(`DELETE FROM public.tenants WHERE schema_name = $1`, schema)
		apptest.DropRole(t, apptest.DB(t).SQL, apptest.Roles(t).For(schema))
	})
	out, code := run(t, nil, "createtenant", "--config", weak, "--schema", schema, "--domain", "old-"+apptest.RandomName(6)+".test")
	if code != 0 || !strings.Contains(out, "search_path only") {
		t.Fatalf("createtenant in search_path mode (exit %d) did not warn:\n%s", code, out)
	}
	if owners := ownersOf(t, schema); len(owners) != 1 || owners[0] == apptest.Roles(t).For(schema) {
		t.Fatalf("in search_path mode the schema's objects are owned by %v, want the polls user", owners)
	}

	out, code = run(t, nil, "migrate", "--schema", schema)
	if code != 0 || !strings.Contains(out, schema+": now owned by its own role "+apptest.Roles(t).For(schema)) {
		t.Fatalf("migrate (exit %d) did not move %s to its role:\n%s", code, schema, out)
	}
	if owners := ownersOf(t, schema); len(owners) != 1 || owners[0] != apptest.Roles(t).For(schema) {
		t.Fatalf("after migrate the schema's objects are owned by %v, want only %s", owners, apptest.Roles(t).For(schema))
	}
	out, code = run(t, nil, "migrate", "--schema", schema)
	if code != 0 || strings.Contains(out, "now owned") {
		t.Fatalf("second migrate (exit %d) redid the role change:\n%s", code, out)
	}
}

// ownersOf lists the distinct owners of the schema and everything in it.
func ownersOf(t *testing.T, schema string) []string {
	t.Helper()
	var owners []string
	err := apptest.DB(t).Gorm.Raw(`
		SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = ?
		UNION SELECT pg_get_userbyid(relowner) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?`,
		schema, schema).Scan(&owners).Error
	if err != nil {
		t.Fatal(err)
	}
	return owners
}
