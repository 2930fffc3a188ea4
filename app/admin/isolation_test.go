package admin_test

import (
	"net/http"
	"net/url"
	"testing"

	"polls/app/apptest"
)

// TestTenantsHaveTheirOwnAdmin serves two tenants from one application: users,
// sessions and admin actions of one never reach the other.
func TestTenantsHaveTheirOwnAdmin(t *testing.T) {
	sites := newSites(t, 2)
	a, b := sites[0], sites[1]
	a.addUser(t, superuser)
	a.login(t, superuser)
	b.AddQuestion(t, 1, "B's question?", "-1 hour", apptest.Choice{ID: 10, Text: "B's choice", Votes: 3})

	t.Run("A's superuser does not exist on B", func(t *testing.T) {
		resp, body := b.post(t, "/admin/login/", url.Values{"username": {superuser.name}, "password": {superuser.password}})
		if resp.StatusCode != http.StatusOK || errorNote(body) == "" {
			t.Errorf("login on B with A's user: got %d, note %q; want 200 with the error", resp.StatusCode, errorNote(body))
		}
	})
	t.Run("A's session cookie copied to B", func(t *testing.T) {
		b.setCookie("sessionid", a.cookie("sessionid"))
		for _, path := range []string{"/admin/", "/admin/polls/question/1/change/"} {
			if status, _ := b.get(t, path); status != http.StatusFound {
				t.Errorf("GET %s on B with A's cookie: got %d, want 302 to login", path, status)
			}
		}
		resp, _ := b.post(t, "/admin/polls/question/1/delete/", url.Values{"post": {"yes"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/login/?next=%2Fadmin%2Fpolls%2Fquestion%2F1%2Fdelete%2F" {
			t.Errorf("POST delete on B with A's cookie: got %d to %q, want 303 to login", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("admin actions on A change nothing on B", func(t *testing.T) {
		if status, _ := a.get(t, "/admin/polls/question/1/change/"); status != http.StatusNotFound {
			t.Errorf("B's question through A's admin: got %d, want 404", status)
		}
		a.postRedirect(t, "/admin/polls/question/add/", url.Values{"question_text": {"A's question?"}, "pub_date": {"2024-01-01T00:00"}, "choice_text": {"A's choice"}})
		a.postRedirect(t, "/admin/polls/question/1/delete/", url.Values{"post": {"yes"}}) // A's own question 1
		a.postRedirect(t, "/admin/polls/question/", url.Values{"action": {"delete_selected"}, "_selected_action": {"1"}, "post": {"yes"}})
		a.postRedirect(t, "/admin/auth/user/add/", url.Values{"username": {"dave"}, "password1": {"quiet meadow 42"}, "password2": {"quiet meadow 42"}})
		if got := b.text(t, "SELECT question_text || ':' || (SELECT string_agg(choice_text || '=' || votes, ',') FROM polls_choice) FROM polls_question"); got != "B's question?:B's choice=3" {
			t.Errorf("B's polls: got %q, want them untouched", got)
		}
		b.wantCount(t, "B's users, sessions and log entries", 0, "SELECT (SELECT count(*) FROM auth_user) + (SELECT count(*) FROM django_session) + (SELECT count(*) FROM django_admin_log)")
		if n := a.scalar(t, "SELECT count(*) FROM django_admin_log"); n < 3 {
			t.Errorf("A's log entries: got %d, want at least 3", n)
		}
	})
}
