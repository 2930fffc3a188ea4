package polls_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"polls/app/apptest"
)

// TestTenantsSeeOnlyTheirOwnQuestions serves two tenants from one application:
// each one's pages, ids and votes are its own, even where the ids coincide.
func TestTenantsSeeOnlyTheirOwnQuestions(t *testing.T) {
	sites := newSites(t, 2)
	a, b := sites[0], sites[1]
	a.AddQuestion(t, 1, "Question of A?", "-1 hour", apptest.Choice{ID: 10, Text: "Choice of A"})

	t.Run("B cannot see A's question", func(t *testing.T) {
		for _, path := range []string{"/polls/1/", "/polls/1/results/"} {
			if status, _ := b.get(t, path); status != http.StatusNotFound {
				t.Errorf("GET %s on B: got status %d, want 404", path, status)
			}
		}
		if resp, _ := b.vote(t, "1", url.Values{"choice": {"10"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("POST vote on B: got status %d, want 404", resp.StatusCode)
		}
		if _, body := b.get(t, "/polls/"); !strings.Contains(body, "No polls are available.") {
			t.Errorf("GET /polls/ on B: got %s, want no polls", body)
		}
	})

	b.AddQuestion(t, 1, "Question of B?", "-1 hour", apptest.Choice{ID: 10, Text: "Choice of B"})

	t.Run("same ids, separate data", func(t *testing.T) {
		if resp, _ := b.vote(t, "1", url.Values{"choice": {"10"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST vote on B: got status %d, want %d", resp.StatusCode, http.StatusSeeOther)
		}
		for _, tt := range []struct {
			name string
			s    site
			want []string
		}{
			{"A", a, []string{"Choice of A -- 0 votes"}},
			{"B", b, []string{"Choice of B -- 1 vote"}},
		} {
			if got := tt.s.results(t, 1); !slices.Equal(got, tt.want) {
				t.Errorf("results on %s: got %q, want %q", tt.name, got, tt.want)
			}
			_, body := tt.s.get(t, "/polls/")
			if got, want := items(body), []string{"Question of " + tt.name + "?"}; !slices.Equal(got, want) {
				t.Errorf("index on %s: got %q, want %q", tt.name, got, want)
			}
		}
	})
}
