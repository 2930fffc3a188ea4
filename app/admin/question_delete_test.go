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

func TestDeleteOneQuestion(t *testing.T) {
	s := newSite(t).loggedInAs(t, staffUser)
	s.AddQuestion(t, 1, "Doomed?", "-1 hour",
		apptest.Choice{ID: 10, Text: "Yes"}, apptest.Choice{ID: 11, Text: "No"})
	body := s.getOK(t, "/admin/polls/question/1/delete/")
	for _, want := range []string{"Are you sure you want to delete the question “Doomed?”?", "Questions: 1", "Choices: 2", "Choice: Yes", "No, take me back"} {
		if !strings.Contains(visible(body), want) {
			t.Errorf("confirmation: got no %q", want)
		}
	}
	if n := s.scalar(t, "SELECT count(*) FROM polls_question"); n != 1 {
		t.Fatalf("questions after viewing the confirmation: got %d, want 1", n)
	}
	to := s.postRedirect(t, "/admin/polls/question/1/delete/", url.Values{"post": {"yes"}})
	if got, want := message(s.getOK(t, to)), "The question “Doomed?” was deleted successfully."; got != want {
		t.Errorf("message: got %q, want %q", got, want)
	}
	s.wantCount(t, "questions and choices left", 0, "SELECT (SELECT count(*) FROM polls_question) + (SELECT count(*) FROM polls_choice)")
}

func TestBulkDeleteQuestions(t *testing.T) {
	s := newSite(t).loggedInAs(t, staffUser)
	for i := int64(1); i <= 3; i++ {
		s.AddQuestion(t, i, fmt.Sprintf("Question %d?", i), "-1 hour", apptest.Choice{ID: i * 10, Text: "Choice"})
	}
	body := s.getOK(t, "/admin/polls/question/?o=1")
	if got := selectedRe.FindAllStringSubmatch(body, -1); len(got) != 3 {
		t.Fatalf("checkboxes: got %d, want 3", len(got))
	}
	t.Run("nothing selected", func(t *testing.T) {
		to := s.postRedirect(t, "/admin/polls/question/?o=1", url.Values{"action": {"delete_selected"}})
		if got := message(s.getOK(t, to)); got != "Items must be selected in order to perform actions on them. No items have been changed." {
			t.Errorf("got message %q", got)
		}
	})
	form := url.Values{"action": {"delete_selected"}, "_selected_action": {"1", "3", "999"}}
	resp, body := s.post(t, "/admin/polls/question/?o=1", form)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("confirmation: got %d, want 200", resp.StatusCode)
	}
	for _, want := range []string{"Are you sure you want to delete the selected questions?", "Question: Question 1?", "Question: Question 3?", "Questions: 2", "Choices: 2"} {
		if !strings.Contains(visible(body), want) {
			t.Errorf("confirmation: got no %q", want)
		}
	}
	if strings.Contains(body, "Question 2?") {
		t.Errorf("confirmation: got the unselected question listed")
	}
	if n := s.scalar(t, "SELECT count(*) FROM polls_question"); n != 3 {
		t.Fatalf("questions before confirming: got %d, want 3", n)
	}
	form.Set("post", "yes")
	to := s.postRedirect(t, "/admin/polls/question/?o=1", form)
	if to != "/admin/polls/question/?o=1" {
		t.Errorf("got redirect to %q, want back to the list as it was", to)
	}
	if got := message(s.getOK(t, to)); got != "Successfully deleted 2 questions." {
		t.Errorf("message: got %q", got)
	}
	if got := s.text(t, "SELECT string_agg(question_text, ',') FROM polls_question"); got != "Question 2?" {
		t.Errorf("questions left: got %q, want Question 2?", got)
	}
	s.wantCount(t, "choices left", 1, "SELECT count(*) FROM polls_choice")
	s.wantCount(t, "deletions logged", 2, "SELECT count(*) FROM django_admin_log WHERE action_flag = 3")
}

func TestChoiceListAndIndex(t *testing.T) {
	s := newSite(t).loggedInAs(t, staffUser)
	s.AddQuestion(t, 1, "Favourite colour?", "-1 hour", apptest.Choice{ID: 10, Text: "Blue", Votes: 5})
	body := s.getOK(t, "/admin/polls/choice/")
	if got := resultRows(body); !slices.Equal(got, []string{"Blue Favourite colour? 5"}) {
		t.Errorf("choice rows: got %q", got)
	}
	if !strings.Contains(body, `href="/admin/polls/question/1/change/"`) {
		t.Errorf("choice list: got no link to the question")
	}

	s.postRedirect(t, "/admin/polls/question/1/delete/", url.Values{"post": {"yes"}})
	s.postRedirect(t, "/admin/polls/question/add/", url.Values{"question_text": {"Fresh?"}, "pub_date": {"2024-01-01T00:00"}})
	body = s.getOK(t, "/admin/")
	text := visible(body)
	for _, want := range []string{"Polls", "Questions", "Choices", "Recent actions", "My actions", "Fresh? Question · added, ", "Favourite colour? Question · deleted, ", " UTC"} {
		if !strings.Contains(text, want) {
			t.Errorf("index: got no %q in %q", want, text)
		}
	}
	if strings.Contains(text, "Users") {
		t.Errorf("index of a staff user who is not superuser: got Users listed, want not")
	}
	added := fmt.Sprintf(`<a href="/admin/polls/question/%d/change/">Fresh?</a>`, s.scalar(t, "SELECT id FROM polls_question"))
	if !strings.Contains(body, added) || strings.Contains(body, `">Favourite colour?</a>`) {
		t.Errorf("recent actions: want a link to the added question and none to the deleted one in\n%s", body)
	}
	if body := s.getOK(t, "/admin/polls/"); !strings.Contains(body, "Questions") || strings.Contains(body, "Recent actions") {
		t.Errorf("app index: got %s", body)
	}
}
