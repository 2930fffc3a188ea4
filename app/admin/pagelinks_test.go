package admin_test

import (
	"strconv"
	"strings"
	"testing"

	"polls/app/admin"
)

// TestPageLinks: both admins' lists link the first two pages, the last two
// and those within two of the current one, a gap shown once, the current
// page without a link; a list of one page has none.
func TestPageLinks(t *testing.T) {
	url := func(n int) string { return "?p=" + strconv.Itoa(n) }
	show := func(links []admin.PageLink) string {
		var parts []string
		for _, l := range links {
			switch {
			case l.Current:
				parts = append(parts, "["+l.Label+"]")
			case l.URL == "" && l.Label == "…":
				parts = append(parts, l.Label)
			case l.URL != url(mustAtoi(t, l.Label)):
				t.Fatalf("page %s links to %s", l.Label, l.URL)
			default:
				parts = append(parts, l.Label)
			}
		}
		return strings.Join(parts, " ")
	}
	for _, c := range []struct {
		page, last int
		want       string
	}{
		{1, 1, ""},
		{1, 5, "[1] 2 3 4 5"},
		{1, 100, "[1] 2 3 … 99 100"},
		{50, 100, "1 2 … 48 49 [50] 51 52 … 99 100"},
		{5, 100, "1 2 3 4 [5] 6 7 … 99 100"},
		{100, 100, "1 2 … 98 99 [100]"},
	} {
		if got := show(admin.PageLinks(c.page, c.last, url)); got != c.want {
			t.Errorf("page %d of %d: %q, want %q", c.page, c.last, got, c.want)
		}
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("page label %q", s)
	}
	return n
}
