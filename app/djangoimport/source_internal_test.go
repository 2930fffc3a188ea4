package djangoimport

import (
	"context"
	"strings"
	"testing"

	"polls/app/apptest"
)

// The Django database is never written: every transaction on Source's
// connection is read-only, even one that did not ask to be.
func TestSourceIsReadOnly(t *testing.T) {
	ctx := context.Background()
	db := apptest.DB(t).SQL
	table := "customers_client_" + apptest.RandomName(6)
	if _, err := db.ExecContext(ctx, `CREATE TABLE public.`+table+` (id serial PRIMARY KEY, schema_name text, domain_url text)`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = db.ExecContext(ctx, `DROP TABLE IF EXISTS public.`+table) })
	s, err := Open(ctx, apptest.URL(t), table, "no_domain_table")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	if s.Flavor != TenantSchemas {
		t.Errorf("flavor: got %q, want %q (domain_url, no domain table)", s.Flavor, TenantSchemas)
	}
	_, err = s.conn.Exec(ctx, `INSERT INTO public.`+table+` (schema_name) VALUES ('x')`)
	if err == nil || !strings.Contains(err.Error(), "read-only transaction") {
		t.Errorf("a write on the Django connection: got %v, want it refused as read-only", err)
	}
}
