package polls_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"polls/app/apptest"
)

func TestResultsPluralisation(t *testing.T) {
	s := newSite(t)
	s.AddQuestion(t, 1, "What's up?", "-1 hour",
		apptest.Choice{ID: 10, Text: "Not much", Votes: 0}, apptest.Choice{ID: 11, Text: "The sky", Votes: 1},
		apptest.Choice{ID: 12, Text: "Just hacking again", Votes: 2})

	want := []string{"Not much -- 0 votes", "The sky -- 1 vote", "Just hacking again -- 2 votes"}
	if got := s.results(t, 1); !slices.Equal(got, want) {
		t.Errorf("results: got %q, want %q", got, want)
	}
}

func TestResultsPage(t *testing.T) {
	s := newSite(t)
	s.AddQuestion(t, 1, "What's up?", "-1 hour",
		apptest.Choice{ID: 10, Text: "Not much", Votes: 1}, apptest.Choice{ID: 11, Text: "The sky", Votes: 2},
		apptest.Choice{ID: 12, Text: "Nothing", Votes: 0})

	status, body := s.get(t, "/polls/1/results/")
	if status != http.StatusOK {
		t.Fatalf("GET results: got status %d, want 200", status)
	}
	for _, want := range []string{
		`<h1>What&#39;s up?</h1>`,
		`<a href="/polls/1/">Vote again?</a>`,
		// One bar per choice, its width the choice's share of the 3 votes.
		`<rect class="bar-fill" width="33%"`,
		`<rect class="bar-fill" width="67%"`,
		`<rect class="bar-fill" width="0%"`,
		"3 votes in all.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET results: got %s, want it to contain %s", body, want)
		}
	}
	if got := strings.Count(body, "<svg"); got != 3 {
		t.Errorf("GET results: got %d bars, want 3", got)
	}
	// The chart is drawn in the page: no script, nothing loaded from elsewhere.
	for _, bad := range []string{"<script", "<img", "<iframe", `src="http`, `href="http`, "url(http"} {
		if strings.Contains(body, bad) {
			t.Errorf("GET results: got %s, want no %s", body, bad)
		}
	}
}

func TestResultsWithoutVotes(t *testing.T) {
	s := newSite(t)
	s.AddQuestion(t, 1, "What's up?", "-1 hour", apptest.Choice{ID: 10, Text: "Not much"})
	_, body := s.get(t, "/polls/1/results/")
	for _, want := range []string{`<rect class="bar-fill" width="0%"`, "0 votes in all."} {
		if !strings.Contains(body, want) {
			t.Errorf("GET results: got %s, want it to contain %s", body, want)
		}
	}
}
