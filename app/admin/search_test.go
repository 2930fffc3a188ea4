package admin_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

const searchNoteText = "Only the first 10 words were searched for, each up to 100 characters."

// TestSearchIsCapped checks both change lists that search: the first ten
// words are searched for, each cut to a hundred characters, the rest is
// ignored and the page says so. (Well under the 8 KB a request line may
// have: the cap is the admin's own, whatever the web layer lets through.)
func TestSearchIsCapped(t *testing.T) {
	s := newSite(t).loggedInAs(t, superuser)
	long := strings.Repeat("ab", 60) // 120 characters
	s.AddQuestion(t, 1, "alpha "+long[:100]+"?", "-1 hour")
	s.AddQuestion(t, 2, "alpha beta?", "-1 hour")
	s.addUser(t, user{name: "alpha.user", password: "x", active: true})
	ten := strings.Repeat("alpha ", 10)
	many := ten + "nowhere" + strings.Repeat(" x", 1500)

	for _, tt := range []struct {
		name, path, q string
		want          []string
		note          bool
	}{
		{"questions, ten words", "/admin/polls/question/", ten, []string{"alpha " + long[:100] + "?", "alpha beta?"}, false},
		{"questions, the eleventh word and on ignored", "/admin/polls/question/", many, []string{"alpha " + long[:100] + "?", "alpha beta?"}, true},
		{"questions, a long word cut", "/admin/polls/question/", long + "ZZZ", []string{"alpha " + long[:100] + "?"}, true},
		{"users, ten words", "/admin/auth/user/", ten, []string{"alpha.user"}, false},
		{"users, a word not found", "/admin/auth/user/", "alpha nowhere", nil, false},
		{"users, the eleventh word and on ignored", "/admin/auth/user/", many, []string{"alpha.user"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := s.getOK(t, tt.path+"?"+url.Values{"q": {tt.q}, "o": {"1"}}.Encode())
			var got []string
			for _, cells := range resultCells(body) {
				got = append(got, cells[0])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("rows: got %q, want %q", got, tt.want)
			}
			if note := strings.Contains(body, searchNoteText); note != tt.note {
				t.Errorf("note %q shown: got %v, want %v", searchNoteText, note, tt.note)
			}
		})
	}
	s.noErrorLogged(t)
}

// TestOddSearchesAreSearchedLiterally sends searches that are valid text but
// unusual: LIKE's wildcards and escape, quotes, SQL, emoji, other scripts.
func TestOddSearchesAreSearchedLiterally(t *testing.T) {
	s := newSite(t).loggedInAs(t, superuser)
	texts := []string{`100% sure?`, `a_b or ab?`, `back\slash?`, `It's "quoted"?`, `🍕 or 🍣?`, `Ελληνικά;`, `x'); DROP TABLE polls_question; --?`}
	for i, text := range texts {
		s.AddQuestion(t, int64(i+1), text, "-1 hour")
	}
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"%", []string{`100% sure?`}},
		{"_", []string{`a_b or ab?`, `x'); DROP TABLE polls_question; --?`}},
		{`\`, []string{`back\slash?`}},
		{`\s`, []string{`back\slash?`}},
		{`'`, []string{`It's "quoted"?`, `x'); DROP TABLE polls_question; --?`}},
		{`"quoted"`, []string{`It's "quoted"?`}},
		{"🍕", []string{`🍕 or 🍣?`}},
		// Same case: folding non-ASCII case depends on the database's locale
		// (the tests' private cluster uses C, which folds ASCII only).
		{"Ελληνικά", []string{`Ελληνικά;`}},
		{"DROP TABLE", []string{`x'); DROP TABLE polls_question; --?`}},
		{"\u200b", nil},
		{"\ufeff\U0010fffd", nil},
	} {
		body := s.getOK(t, "/admin/polls/question/?"+url.Values{"q": {tt.q}, "o": {"1"}}.Encode())
		var got []string
		for _, cells := range resultCells(body) {
			got = append(got, cells[0])
		}
		slices.Sort(got)
		slices.Sort(tt.want)
		if !slices.Equal(got, tt.want) {
			t.Errorf("search %q: got %q, want %q", tt.q, got, tt.want)
		}
		s.getOK(t, "/admin/auth/user/?"+url.Values{"q": {tt.q}}.Encode())
	}
	s.wantCount(t, "questions after the searches", int64(len(texts)), "SELECT count(*) FROM polls_question")
	s.noErrorLogged(t)
}
