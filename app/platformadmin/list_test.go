package platformadmin_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
)

// rowCount is how many tenants a list page shows.
func rowCount(body string) int {
	return len(regexp.MustCompile(`<th scope="row"><a href="/admin/tenants/`).FindAllString(body, -1))
}

// The tenants list at 10,000 tenants: search, filters, sorting and pages
// are done in SQL, and every page is quick. The registry rows are inserted
// unrouted (no schema behind them), as a tenant being created is.
func TestTenantsListAtTenThousand(t *testing.T) {
	op := newOperator(t)
	real := apptest.NewTenant(t)
	real.AddQuestion(t, 1, "Sized?", "-1 hour")
	prefix := "bulk_" + apptest.RandomName(6)
	db := apptest.DB(t).SQL
	if _, err := db.Exec(`INSERT INTO public.tenants (schema_name, name, on_trial, paid_until)
		SELECT $1 || '_' || lpad(i::text, 5, '0'), 'Bulk ' || i, i % 2 = 0,
		       CASE WHEN i % 4 = 1 THEN DATE '2001-01-01' END
		FROM generate_series(1, 10000) i`, prefix); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Exec(`DELETE FROM public.tenants WHERE schema_name LIKE $1 || '%'`, prefix) })

	list := func(query string) string {
		t.Helper()
		start := time.Now()
		body := op.getOK(t, "/admin/tenants/?"+query)
		t.Logf("GET /admin/tenants/?%s: %v", query, time.Since(start).Round(time.Millisecond))
		return body
	}
	q := "q=" + url.QueryEscape(strings.ToUpper(prefix))
	for _, tt := range []struct {
		query string
		count string
		rows  int
		first string // the first row's schema
	}{
		{q, "10000 tenants", 100, prefix + "_00001"},
		{q + "&p=100", "10000 tenants", 100, prefix + "_09901"},
		{q + "&p=9999", "10000 tenants", 100, prefix + "_09901"}, // past the end: the last page
		{q + "&o=-schema", "10000 tenants", 100, prefix + "_10000"},
		{q + "&o=-name", "10000 tenants", 100, prefix + "_09999"}, // names sort as text: "Bulk 9999" last
		{q + "&on_trial=true", "5000 tenants", 100, prefix + "_00002"},
		{q + "&plan=expired", "2500 tenants", 100, prefix + "_00001"},
		{q + "&plan=expired&on_trial=true", "0 tenants", 0, ""},
		{q + "&state=unrouted", "10000 tenants", 100, prefix + "_00001"},
		{q + "&state=ready", "0 tenants", 0, ""},
		{q + "_00042", "1 tenant", 1, prefix + "_00042"},
		{q + "&o=nonsense&state=nonsense", "10000 tenants", 100, prefix + "_00001"}, // unknown values choose nothing
	} {
		body := list(tt.query)
		if !strings.Contains(body, tt.count) || rowCount(body) != tt.rows {
			t.Errorf("?%s: got %d rows, want %d and %q", tt.query, rowCount(body), tt.rows, tt.count)
		}
		if tt.first != "" && !strings.Contains(body, fmt.Sprintf(`<th scope="row"><a href="/admin/tenants/%s/">`, tt.first)) {
			t.Errorf("?%s: the first row is not %s", tt.query, tt.first)
		}
	}
	for _, query := range []string{"", "o=-created&p=50", "o=state&p=60", "o=-paid_until&p=99"} { // the whole registry
		if body := list(query); rowCount(body) != 100 {
			t.Errorf("?%s: got %d rows, want 100", query, rowCount(body))
		}
	}
	body := list(q + "&p=2")
	wantContains(t, "page 2's links", body, `<span class="this-page">2</span>`, "p=100", "p=1&amp;")

	// A real tenant's row: its domain, state and size on disk.
	body = list("q=" + real.Schema)
	wantContains(t, "a real tenant's row", body, real.Domain, "<td>ready</td>")
	if strings.Contains(body, "<td>0 bytes</td>") {
		t.Errorf("a real tenant's size on disk: got 0 bytes:\n%s", body)
	}
	// A Citus coordinator's list has a node column (app/cli's
	// TestCitusCluster); a single PostgreSQL's has the columns above only.
	if strings.Contains(body, `<th scope="col">Node</th>`) || !strings.Contains(body, `<th scope="col">Size on disk</th>`) {
		t.Errorf("without Citus the list has a node column, or lost its own:\n%s", body)
	}
}
