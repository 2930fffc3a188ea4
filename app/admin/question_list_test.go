package admin_test

import (
	"slices"
	"strings"
	"testing"
)

// questionTexts returns the first cell of each row of the question list.
func questionTexts(body string) []string {
	var out []string
	for _, r := range resultCells(body) {
		out = append(out, r[0])
	}
	return out
}

func TestQuestionChangeList(t *testing.T) {
	s := newSite(t).loggedInAs(t, staffUser)
	s.AddQuestion(t, 1, "What is new?", "-1 hour")
	s.AddQuestion(t, 2, "Best pizza topping?", "-3 days")
	s.AddQuestion(t, 3, "Old news?", "-400 days")
	s.AddQuestion(t, 4, "Future question?", "+1 hour")

	body := s.getOK(t, "/admin/polls/question/")
	for _, want := range []string{"Question text", "Date published", "Published recently?", "Delete selected questions", "4 questions", "Add question"} {
		if !strings.Contains(body, want) {
			t.Errorf("change list: got no %q", want)
		}
	}
	rows := resultRows(body)
	if len(rows) != 4 || !strings.HasPrefix(rows[1], "What is new?") || !strings.HasSuffix(rows[1], "✔ Yes") ||
		!strings.HasSuffix(rows[0], "✘ No") || !strings.Contains(rows[1], " UTC") {
		t.Errorf("rows (newest first, recent ones ticked, times in UTC): got %q", rows)
	}

	for _, tt := range []struct {
		name, query string
		want        []string
	}{
		{"search", "?q=PIZZA", []string{"Best pizza topping?"}},
		{"search all words", "?q=best+news", nil},
		{"search is literal", "?q=%25", nil},
		{"sort by text", "?o=1", []string{"Best pizza topping?", "Future question?", "Old news?", "What is new?"}},
		{"sort by text descending", "?o=-1", []string{"What is new?", "Old news?", "Future question?", "Best pizza topping?"}},
		{"sort by date ascending", "?o=2", []string{"Old news?", "Best pizza topping?", "What is new?", "Future question?"}},
		{"sort by published recently", "?o=-3", []string{"Future question?", "What is new?", "Best pizza topping?", "Old news?"}},
		{"unknown sort falls back", "?o=9", []string{"Future question?", "What is new?", "Best pizza topping?", "Old news?"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := questionTexts(s.getOK(t, "/admin/polls/question/"+tt.query)); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// Which questions fall on "today" depends on the hour the test runs, so
	// the date filters are checked against PostgreSQL's own calendar in UTC.
	t.Run("date filters agree with the database", func(t *testing.T) {
		const today = "(date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')"
		for _, f := range []struct{ param, cond string }{
			{"today", "pub_date >= " + today + " AND pub_date < " + today + " + interval '1 day'"},
			{"past_7_days", "pub_date >= " + today + " - interval '7 days' AND pub_date < " + today + " + interval '1 day'"},
			{"this_month", "date_trunc('month', pub_date AT TIME ZONE 'UTC') = date_trunc('month', now() AT TIME ZONE 'UTC')"},
			{"this_year", "date_trunc('year', pub_date AT TIME ZONE 'UTC') = date_trunc('year', now() AT TIME ZONE 'UTC')"},
		} {
			want := s.scalar(t, "SELECT count(*) FROM polls_question WHERE "+f.cond)
			if got := len(resultRows(s.getOK(t, "/admin/polls/question/?pub_date="+f.param))); int64(got) != want {
				t.Errorf("pub_date=%s: got %d rows, want %d", f.param, got, want)
			}
		}
	})
	t.Run("sort links reverse the sorted column and keep the search", func(t *testing.T) {
		body := s.getOK(t, "/admin/polls/question/?q=e&o=1")
		if !strings.Contains(body, `href="/admin/polls/question/?o=-1&amp;q=e"`) || !strings.Contains(body, `href="/admin/polls/question/?o=2&amp;q=e"`) {
			t.Errorf("got sort links without the reversed order or the search in\n%s", body)
		}
	})
}

func TestQuestionChangeListPaginates(t *testing.T) {
	s := newSite(t).loggedInAs(t, staffUser)
	s.Exec(t, `INSERT INTO polls_question (question_text, pub_date)
		SELECT 'Question ' || lpad(n::text, 3, '0'), now() - n * interval '1 minute' FROM generate_series(1, 205) n`)
	for _, tt := range []struct {
		query       string
		rows        int
		first, last string
	}{
		{"?o=1", 100, "Question 001", "Question 100"},
		{"?o=1&p=2", 100, "Question 101", "Question 200"},
		{"?o=1&p=3", 5, "Question 201", "Question 205"},
		{"?o=1&p=99", 5, "Question 201", "Question 205"},
		{"?o=1&p=zero", 100, "Question 001", "Question 100"},
	} {
		body := s.getOK(t, "/admin/polls/question/"+tt.query)
		got := questionTexts(body)
		if len(got) != tt.rows {
			t.Fatalf("%s: got %d rows, want %d", tt.query, len(got), tt.rows)
		}
		if got[0] != tt.first || got[len(got)-1] != tt.last {
			t.Errorf("%s: got rows %q..%q, want %q..%q", tt.query, got[0], got[len(got)-1], tt.first, tt.last)
		}
		if !strings.Contains(body, "205 questions") || !strings.Contains(body, `href="/admin/polls/question/?o=1&amp;p=2"`) && tt.query != "?o=1&p=2" {
			t.Errorf("%s: got no count or page links", tt.query)
		}
	}
}
