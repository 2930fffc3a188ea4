package polls_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"polls/app/apptest"
	"polls/app/config"
)

func TestVoteCountsAndRedirectsToResults(t *testing.T) {
	s := newSite(t)
	s.AddQuestion(t, 1, "What's up?", "-1 hour",
		apptest.Choice{ID: 10, Text: "Not much"}, apptest.Choice{ID: 11, Text: "The sky", Votes: 4})

	resp, _ := s.vote(t, "1", url.Values{"choice": {"11"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST vote: got status %d, want %d", resp.StatusCode, http.StatusSeeOther)
	}
	if got := resp.Header.Get("Location"); got != "/polls/1/results/" {
		t.Errorf("POST vote: got Location %q, want %q", got, "/polls/1/results/")
	}
	want := []string{"Not much -- 0 votes", "The sky -- 5 votes"}
	if got := s.results(t, 1); !slices.Equal(got, want) {
		t.Errorf("results after vote: got %q, want %q", got, want)
	}
}

func TestVoteWithoutValidChoice(t *testing.T) {
	tests := []struct {
		name   string
		fields url.Values
	}{
		{"no choice", url.Values{}},
		{"empty choice", url.Values{"choice": {""}}},
		{"non-numeric choice", url.Values{"choice": {"abc"}}},
		{"unknown choice", url.Values{"choice": {"999"}}},
		{"choice of another question", url.Values{"choice": {"20"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			s.AddQuestion(t, 1, "What's up?", "-1 hour", apptest.Choice{ID: 10, Text: "Not much"})
			s.AddQuestion(t, 2, "Other question?", "-1 hour", apptest.Choice{ID: 20, Text: "Other choice"})

			resp, body := s.vote(t, "1", tt.fields)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("POST vote: got status %d, want 200", resp.StatusCode)
			}
			for _, want := range []string{
				"<strong>You didn&#39;t select a choice.</strong>",
				`<form action="/polls/1/vote/" method="post">`,
				`<label for="choice10">Not much</label>`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("POST vote: got %s, want it to contain %s", body, want)
				}
			}
			for id, want := range map[int64][]string{
				1: {"Not much -- 0 votes"},
				2: {"Other choice -- 0 votes"},
			} {
				if got := s.results(t, id); !slices.Equal(got, want) {
					t.Errorf("results of question %d: got %q, want %q", id, got, want)
				}
			}
		})
	}
}

func TestVoteOnFutureOrUnknownQuestionIsNotFound(t *testing.T) {
	s := newSite(t)
	s.AddQuestion(t, 2, "Future question.", "5 days", apptest.Choice{ID: 20, Text: "A choice"})
	for _, id := range []string{"2", "3", "abc"} {
		resp, _ := s.vote(t, id, url.Values{"choice": {"20"}})
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("POST /polls/%s/vote/: got status %d, want 404", id, resp.StatusCode)
		}
	}
	s.Exec(t, "UPDATE polls_question SET pub_date = now() - interval '1 hour' WHERE id = 2")
	if got, want := s.results(t, 2), []string{"A choice -- 0 votes"}; !slices.Equal(got, want) {
		t.Errorf("results: got %q, want %q", got, want)
	}
}

// TestConcurrentVotesAreAllCounted sends 200 votes for one choice at once:
// each must be counted, which only an atomic UPDATE guarantees. The server's
// per-tenant queue and per-client cap are raised to let all 200 in at once
// (the defaults would answer some with 503 or 429: limits_test.go).
func TestConcurrentVotesAreAllCounted(t *testing.T) {
	const voters = 200
	srv := apptest.NewServerWith(t, apptest.Options{Config: func(c *config.Config) {
		c.Tenancy.QueuePerTenant = voters
		c.Server.MaxConnsPerClient = 0
	}})
	s := site{Tenant: apptest.NewTenant(t), client: srv.Client(t)}
	s.AddQuestion(t, 1, "What's up?", "-1 hour", apptest.Choice{ID: 10, Text: "Not much"})
	form := url.Values{
		"csrfmiddlewaretoken": {apptest.CSRF(t, s.client, s.Domain, "/polls/")},
		"choice":              {"10"},
	}

	statuses := make([]int, voters)
	errs := make([]error, voters)
	var wg sync.WaitGroup
	for i := range voters {
		wg.Go(func() {
			resp, err := s.client.PostForm("http://"+s.Domain+"/polls/1/vote/", form)
			if err != nil {
				errs[i] = err
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()

	for i := range voters {
		if errs[i] != nil {
			t.Fatalf("vote %d: %v", i, errs[i])
		}
		if statuses[i] != http.StatusSeeOther {
			t.Fatalf("vote %d: got status %d, want %d", i, statuses[i], http.StatusSeeOther)
		}
	}
	want := []string{fmt.Sprintf("Not much -- %d votes", voters)}
	if got := s.results(t, 1); !slices.Equal(got, want) {
		t.Errorf("results: got %q, want %q", got, want)
	}
}
