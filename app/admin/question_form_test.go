package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"polls/app/apptest"
)

func TestAddQuestionWithChoices(t *testing.T) {
	s := newSite(t).loggedInAs(t, staffUser)
	body := s.getOK(t, "/admin/polls/question/add/")
	if n := strings.Count(body, `name="choice_text"`); n < 3 {
		t.Errorf("add form: got %d choice rows, want at least 3", n)
	}
	for _, want := range []string{`name="question_text"`, `type="datetime-local" name="pub_date"`, "Times are in UTC.", `name="_save"`, `name="_addanother"`, `name="_continue"`} {
		if !strings.Contains(body, want) {
			t.Errorf("add form: got no %s", want)
		}
	}

	to := s.postRedirect(t, "/admin/polls/question/add/", url.Values{
		"question_text": {"What's up?"}, "pub_date": {"2024-05-06T07:08"},
		"choice_text": {"Not much", "", "The sky", "  "}, "_save": {"Save"},
	})
	if to != "/admin/polls/question/" {
		t.Errorf("Save: got redirect to %q, want the change list", to)
	}
	if got := s.text(t, "SELECT question_text || ' @ ' || to_char(pub_date AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM polls_question"); got != "What's up? @ 2024-05-06 07:08" {
		t.Errorf("saved question: got %q, want pub_date taken as UTC", got)
	}
	if got := s.text(t, "SELECT string_agg(choice_text || '=' || votes, ',' ORDER BY id) FROM polls_choice"); got != "Not much=0,The sky=0" {
		t.Errorf("saved choices: got %q, want the two non-blank ones", got)
	}
	if got, want := message(s.getOK(t, to)), "The question “What's up?” was added successfully."; got != want {
		t.Errorf("message: got %q, want %q", got, want)
	}
	if got := message(s.getOK(t, to)); got != "" {
		t.Errorf("message on the next page: got %q, want none (it is shown once)", got)
	}

	id := s.scalar(t, "SELECT id FROM polls_question")
	for _, tt := range []struct{ button, to, msg string }{
		{"_addanother", "/admin/polls/question/add/", "The question “Another?” was added successfully. You may add another question below."},
		{"_continue", "", "The question “Another?” was added successfully. You may edit it again below."},
	} {
		to := s.postRedirect(t, "/admin/polls/question/add/", url.Values{"question_text": {"Another?"}, "pub_date": {"2024-05-06T07:08"}, tt.button: {"x"}})
		if tt.to == "" {
			tt.to = fmt.Sprintf("/admin/polls/question/%d/change/", s.scalar(t, "SELECT max(id) FROM polls_question"))
		}
		if to != tt.to {
			t.Errorf("%s: got redirect to %q, want %q", tt.button, to, tt.to)
		}
		if got := message(s.getOK(t, to)); got != tt.msg {
			t.Errorf("%s: got message %q, want %q", tt.button, got, tt.msg)
		}
	}
	if got := s.text(t, "SELECT change_message FROM django_admin_log WHERE object_id = ?", fmt.Sprint(id)); got != "Added." {
		t.Errorf("log entry: got %q, want Added.", got)
	}
}

func TestInvalidQuestionIsShownAgainAndNothingSaved(t *testing.T) {
	s := newSite(t).loggedInAs(t, staffUser)
	long := strings.Repeat("x", 201)
	for _, tt := range []struct {
		name   string
		form   url.Values
		errors []string
		note   string
	}{
		{"blank", url.Values{"question_text": {" "}, "pub_date": {""}},
			[]string{"This field is required.", "This field is required."}, "Please correct the errors below."},
		{"bad date", url.Values{"question_text": {"Fine?"}, "pub_date": {"2024-13-45T99:00"}, "choice_text": {"Kept"}},
			[]string{"Enter a valid date/time."}, "Please correct the error below."},
		{"too long", url.Values{"question_text": {long}, "pub_date": {"2024-05-06T07:08"}, "choice_text": {"ok", long}},
			[]string{"Ensure this value has at most 200 characters (it has 201).", "Ensure this value has at most 200 characters (it has 201)."}, "Please correct the errors below."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := s.post(t, "/admin/polls/question/add/", tt.form)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("got status %d, want 200 with the form again", resp.StatusCode)
			}
			if got := fieldErrors(body); !slices.Equal(got, tt.errors) {
				t.Errorf("errors: got %q, want %q", got, tt.errors)
			}
			if got := errorNote(body); got != tt.note {
				t.Errorf("note: got %q, want %q", got, tt.note)
			}
			for _, v := range tt.form["choice_text"] {
				if v != long && !strings.Contains(body, `value="`+v+`"`) {
					t.Errorf("got choice %q not kept in the form, want it kept", v)
				}
			}
		})
	}
	s.wantCount(t, "rows saved by invalid forms", 0, "SELECT (SELECT count(*) FROM polls_question) + (SELECT count(*) FROM polls_choice) + (SELECT count(*) FROM django_admin_log)")
}

func TestChangeQuestionAndItsChoices(t *testing.T) {
	s := newSite(t).loggedInAs(t, staffUser)
	s.AddQuestion(t, 1, "Old text?", "-1 hour",
		apptest.Choice{ID: 10, Text: "Keep", Votes: 4}, apptest.Choice{ID: 11, Text: "Rename me", Votes: 2},
		apptest.Choice{ID: 12, Text: "Delete me", Votes: 7})
	s.AddQuestion(t, 2, "Other question?", "-1 hour", apptest.Choice{ID: 20, Text: "Not yours", Votes: 1})

	body := s.getOK(t, "/admin/polls/question/1/change/")
	for _, want := range []string{`value="Old text?"`, `value="Keep"`, `<td class="votes">4</td>`, `<td class="votes">7</td>`, `name="choice_delete" value="12"`, `href="/admin/polls/question/1/delete/"`} {
		if !strings.Contains(body, want) {
			t.Errorf("change form: got no %s", want)
		}
	}
	if n := strings.Count(body, `name="choice_text" value=""`); n != 3 {
		t.Errorf("change form: got %d blank choice rows, want 3", n)
	}
	pub := s.text(t, "SELECT to_char(pub_date AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI') FROM polls_question WHERE id = 1")

	t.Run("invalid", func(t *testing.T) {
		resp, body := s.post(t, "/admin/polls/question/1/change/", url.Values{
			"question_text": {"New text?"}, "pub_date": {pub},
			"choice_id": {"10", "11", "12", ""}, "choice_text": {"", "Renamed", "Delete me", "Added"}, "choice_delete": {"12"},
		})
		if resp.StatusCode != http.StatusOK || !slices.Equal(fieldErrors(body), []string{"This field is required."}) {
			t.Fatalf("got %d with errors %q, want 200 with the blank kept choice required", resp.StatusCode, fieldErrors(body))
		}
		if got := s.text(t, "SELECT question_text FROM polls_question WHERE id = 1"); got != "Old text?" {
			t.Errorf("question after an invalid form: got %q, want it unchanged", got)
		}
	})
	t.Run("a choice of another question", func(t *testing.T) {
		resp, _ := s.post(t, "/admin/polls/question/1/change/", url.Values{
			"question_text": {"New text?"}, "pub_date": {pub}, "choice_id": {"20"}, "choice_text": {"Hijacked"},
		})
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("got status %d, want 400", resp.StatusCode)
		}
		if got := s.text(t, "SELECT choice_text FROM polls_choice WHERE id = 20"); got != "Not yours" {
			t.Errorf("other question's choice: got %q, want it unchanged", got)
		}
	})
	t.Run("valid", func(t *testing.T) {
		to := s.postRedirect(t, "/admin/polls/question/1/change/", url.Values{
			"question_text": {"New text?"}, "pub_date": {pub},
			"choice_id": {"10", "11", "12", "", ""}, "choice_text": {"Keep", "Renamed", "Delete me", "Added", ""},
			"choice_delete": {"12"}, "_continue": {"x"},
		})
		if to != "/admin/polls/question/1/change/" {
			t.Errorf("got redirect to %q, want the change form again", to)
		}
		if got := s.text(t, "SELECT string_agg(choice_text || '=' || votes, ',' ORDER BY choice_text) FROM polls_choice WHERE question_id = 1"); got != "Added=0,Keep=4,Renamed=2" {
			t.Errorf("choices: got %q, want Added=0,Keep=4,Renamed=2", got)
		}
		if got, want := message(s.getOK(t, to)), "The question “New text?” was changed successfully. You may edit it again below."; got != want {
			t.Errorf("message: got %q, want %q", got, want)
		}
		want := "Changed question text. Added choice “Added”. Changed choice text for choice “Renamed”. Deleted choice “Delete me”."
		if got := s.text(t, "SELECT change_message FROM django_admin_log WHERE action_flag = 2"); got != want {
			t.Errorf("log: got %q, want %q", got, want)
		}
	})
	if status, _ := s.get(t, "/admin/polls/question/99/change/"); status != http.StatusNotFound {
		t.Errorf("change form of a missing question: got %d, want 404", status)
	}
}
