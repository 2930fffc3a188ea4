package admin_test

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/config"
)

// choiceTexts returns n distinct choice texts that sort in their order.
func choiceTexts(prefix string, n int) []string {
	texts := make([]string, n)
	for i := range texts {
		texts[i] = fmt.Sprintf("%s %04d", prefix, i)
	}
	return texts
}

// TestInlineChoiceRowsAreCapped: up to 1,000 inline rows are saved; a form
// with more is refused whole, with Django's formset message, and shows the
// question's choices as they are. (The web layer's cap on form fields, when
// it is lower, answers such a form before the admin reads it.)
func TestInlineChoiceRowsAreCapped(t *testing.T) {
	// The server's own cap on fields (server.max_fields, 1,000) would refuse
	// these forms first: raised here, so the admin's own cap on rows is what acts.
	s := newSitesWith(t, 1, apptest.Options{Config: func(c *config.Config) { c.Server.MaxFields = 10000 }})[0].loggedInAs(t, staffUser)
	const add = "/admin/polls/question/add/"

	s.postRedirect(t, add, url.Values{"question_text": {"A thousand?"}, "pub_date": {"2024-05-06T07:08"}, "choice_text": choiceTexts("c", 1000)})
	if got, want := s.text(t, "SELECT string_agg(choice_text, ',' ORDER BY id) FROM polls_choice"), strings.Join(choiceTexts("c", 1000), ","); got != want {
		t.Errorf("1,000 rows: got choices %.60q…, want all 1,000 in the order posted", got)
	}

	id := s.scalar(t, "SELECT id FROM polls_question")
	s.Exec(t, "DELETE FROM polls_choice WHERE choice_text <> 'c 0000'")
	change := fmt.Sprintf("/admin/polls/question/%d/change/", id)
	pub := s.text(t, "SELECT to_char(pub_date AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI') FROM polls_question")
	for _, tt := range []struct {
		name, path string
		form       url.Values
	}{
		{"add, 1,001 rows", add, url.Values{"question_text": {"Too many?"}, "pub_date": {"2024-05-06T07:08"}, "choice_text": choiceTexts("d", 1001)}},
		{"change, 1,001 rows", change, url.Values{"question_text": {"Renamed?"}, "pub_date": {pub}, "choice_text": choiceTexts("d", 1001)}},
		{"change, 1,001 deletions", change, url.Values{"question_text": {"Renamed?"}, "pub_date": {pub}, "choice_delete": slices.Repeat([]string{strconv.FormatInt(id, 10)}, 1001)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := s.postForm(t, tt.path, tt.form, []string{"Please submit at most 1000 forms."})
			if got := errorNote(body); got != "Please correct the error below." {
				t.Errorf("note: got %q, want Please correct the error below.", got)
			}
			rows := strings.Count(body, `name="choice_text"`)
			if tt.path == add && rows != 3 || tt.path == change && (rows != 4 || !strings.Contains(body, `value="c 0000"`)) {
				t.Errorf("got %d choice rows, want the question's choices as they are and 3 blank ones", rows)
			}
		})
	}
	if got := s.text(t, "SELECT string_agg(q.question_text || '/' || c.choice_text, ',') FROM polls_question q JOIN polls_choice c ON c.question_id = q.id"); got != "A thousand?/c 0000" {
		t.Errorf("after refused forms: got %q, want nothing changed", got)
	}
	s.noErrorLogged(t)
}

// TestInlineChoicesAreSavedInOneStatement counts what a question form writes
// to PostgreSQL: as many round trips for hundreds of inline rows as for a
// few, since the rows travel in one statement whose text does not change
// with their number (so it is prepared once, not once per count).
func TestInlineChoicesAreSavedInOneStatement(t *testing.T) {
	db, writes := apptest.CountedDB(t)
	srv := apptest.NewServerOn(t, db)
	s := site{Tenant: apptest.NewTenant(t), srv: srv, client: srv.Client(t)}.loggedInAs(t, staffUser)
	roundTrips := func(path string, form url.Values) int64 {
		t.Helper()
		before := writes.Load()
		s.postRedirect(t, path, form)
		return writes.Load() - before
	}
	const add = "/admin/polls/question/add/"
	addForm := func(text string, choices int) url.Values {
		return url.Values{"question_text": {text}, "pub_date": {"2024-05-06T07:08"}, "choice_text": choiceTexts(text, choices)}
	}
	roundTrips(add, addForm("warm-up", 1)) // each statement is prepared once per connection
	few, many := roundTrips(add, addForm("few", 2)), roundTrips(add, addForm("many", 300))
	if few != many {
		t.Errorf("adding a question: got %d round trips with 2 choices and %d with 300, want as many", few, many)
	}
	s.wantCount(t, "choices of the question added with 300", 300, "SELECT count(*) FROM polls_choice c JOIN polls_question q ON q.id = c.question_id WHERE q.question_text = 'many'")

	// Rename, delete and add k choices of a question that has 3k.
	changeForm := func(text string, k int) (string, url.Values) {
		t.Helper()
		id := s.scalar(t, "SELECT id FROM polls_question WHERE question_text = ?", text)
		ids := strings.Split(s.text(t, "SELECT string_agg(id::text, ',' ORDER BY id) FROM polls_choice WHERE question_id = ?", id), ",")
		form := url.Values{"question_text": {text}, "pub_date": {"2024-05-06T07:08"}}
		for i, cid := range ids[:2*k] {
			form.Add("choice_id", cid)
			form.Add("choice_text", fmt.Sprintf("renamed %03d", i))
			if i >= k {
				form.Add("choice_delete", cid)
			}
		}
		for i := range k {
			form.Add("choice_id", "")
			form.Add("choice_text", fmt.Sprintf("added %03d", i))
		}
		return fmt.Sprintf("/admin/polls/question/%d/change/", id), form
	}
	s.postRedirect(t, add, addForm("warm-up 2", 3))
	s.postRedirect(t, add, addForm("few 2", 3))
	roundTrips(changeForm("warm-up 2", 1))
	few, many = roundTrips(changeForm("few 2", 1)), roundTrips(changeForm("many", 100))
	if few != many {
		t.Errorf("changing a question: got %d round trips for 1 choice renamed, deleted and added, and %d for 100 of each, want as many", few, many)
	}
	var want []string
	for i := range 100 {
		want = append(want, fmt.Sprintf("renamed %03d", i))
	}
	want = append(want, choiceTexts("many", 300)[200:]...)
	for i := range 100 {
		want = append(want, fmt.Sprintf("added %03d", i))
	}
	if got := s.text(t, "SELECT string_agg(c.choice_text, ',' ORDER BY c.id) FROM polls_choice c JOIN polls_question q ON q.id = c.question_id WHERE q.question_text = 'many'"); got != strings.Join(want, ",") {
		t.Errorf("choices after the change: got %.80q…, want 100 renamed, 100 kept, 100 added in order", got)
	}
	s.noErrorLogged(t)
}
