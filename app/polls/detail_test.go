package polls_test

import (
	"net/http"
	"strings"
	"testing"

	"polls/app/apptest"
)

func TestDetailShowsVotingForm(t *testing.T) {
	s := newSite(t)
	s.AddQuestion(t, 1, "What's up?", "-1 hour",
		apptest.Choice{ID: 10, Text: "Not much"}, apptest.Choice{ID: 11, Text: "The sky"})

	status, body := s.get(t, "/polls/1/")
	if status != http.StatusOK {
		t.Fatalf("GET /polls/1/: got status %d, want 200", status)
	}
	token := apptest.CSRF(t, s.client, s.Domain, "/polls/1/")
	for _, want := range []string{
		`<form action="/polls/1/vote/" method="post">`,
		`<input type="hidden" name="csrfmiddlewaretoken" value="` + token + `">`,
		`<h1>What&#39;s up?</h1>`,
		`<input type="radio" name="choice" id="choice10" value="10">`,
		`<label for="choice10">Not much</label>`,
		`<input type="radio" name="choice" id="choice11" value="11">`,
		`<label for="choice11">The sky</label>`,
		`<input type="submit" value="Vote">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /polls/1/: got %s, want it to contain %s", body, want)
		}
	}
	if strings.Contains(body, "You didn&#39;t select a choice.") {
		t.Errorf("GET /polls/1/: got the no-choice message before any vote, want none")
	}
}

func TestPagesEscapeUserText(t *testing.T) {
	s := newSite(t)
	s.AddQuestion(t, 1, `<script>alert("q")</script>`, "-1 hour", apptest.Choice{ID: 10, Text: `<b onmouseover="x()">bold</b>`})
	for _, path := range []string{"/polls/", "/polls/1/", "/polls/1/results/"} {
		_, body := s.get(t, path)
		for _, raw := range []string{"<script", "<b "} {
			if strings.Contains(body, raw) {
				t.Errorf("GET %s: got %s, want no raw %s", path, body, raw)
			}
		}
		if !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("GET %s: got %s, want the question text escaped", path, body)
		}
	}
}

func TestDetailAndResultsNotFound(t *testing.T) {
	s := newSite(t)
	s.AddQuestion(t, 1, "Past question.", "-1 hour")
	s.AddQuestion(t, 2, "Future question.", "5 days", apptest.Choice{ID: 20, Text: "A choice"})
	ids := []struct{ name, id string }{
		{"future question", "2"},
		{"unknown id", "3"},
		{"non-numeric id", "abc"},
		{"signed id", "+1"},
		{"negative id", "-1"},
		{"decimal id", "1.0"},
		{"id beyond int64", "99999999999999999999"},
	}
	for _, tt := range ids {
		for _, page := range []string{"/polls/%s/", "/polls/%s/results/"} {
			path := strings.Replace(page, "%s", tt.id, 1)
			t.Run(tt.name+" "+path, func(t *testing.T) {
				status, body := s.get(t, path)
				if status != http.StatusNotFound {
					t.Errorf("GET %s: got status %d, want 404", path, status)
				}
				if !strings.Contains(body, "The page you asked for does not exist.") {
					t.Errorf("GET %s: got %s, want the 404 page", path, body)
				}
			})
		}
	}
}

func TestDetailListsChoicesInIDOrderAndCopesWithNone(t *testing.T) {
	s := newSite(t)
	s.AddQuestion(t, 1, "Ordered?", "-1 hour",
		apptest.Choice{ID: 12, Text: "third"}, apptest.Choice{ID: 10, Text: "first"}, apptest.Choice{ID: 11, Text: "second"})
	s.AddQuestion(t, 2, "Nothing to choose?", "-1 hour")

	_, body := s.get(t, "/polls/1/")
	first, second, third := strings.Index(body, ">first<"), strings.Index(body, ">second<"), strings.Index(body, ">third<")
	if first < 0 || !(first < second && second < third) {
		t.Errorf("GET /polls/1/: choices at %d, %d, %d; want all three in id order: %s", first, second, third, body)
	}
	status, body := s.get(t, "/polls/2/")
	if status != http.StatusOK || !strings.Contains(body, "Nothing to choose?") || strings.Contains(body, `type="radio"`) {
		t.Errorf("GET /polls/2/ (no choices): got %d %s, want the question with no radio button", status, body)
	}
}
