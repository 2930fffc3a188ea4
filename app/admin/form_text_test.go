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

const (
	nulMessage  = "Null characters are not allowed."
	utf8Message = "Enter valid text: this value is not valid UTF-8."
)

// noErrorLogged fails the test if the server logged an ERROR line: a form
// refusing bad input is the client's mistake, not a failure of ours.
func (s site) noErrorLogged(t *testing.T) {
	t.Helper()
	for _, line := range strings.Split(s.srv.Logs.String(), "\n") {
		if strings.Contains(line, "level=ERROR") {
			t.Errorf("got an ERROR logged, want none: %s", line)
		}
	}
}

// postForm posts a form that must come back (200) with these field errors.
func (s site) postForm(t *testing.T, path string, form url.Values, want []string) string {
	t.Helper()
	resp, body := s.post(t, path, form)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: got status %d, want 200 with the form again; body:\n%s", path, resp.StatusCode, body)
	}
	if got := fieldErrors(body); !slices.Equal(got, want) {
		t.Errorf("POST %s: got errors %q, want %q", path, got, want)
	}
	return body
}

func TestNulAndInvalidUTF8InQuestionFormsAreFieldErrors(t *testing.T) {
	s := newSite(t).loggedInAs(t, staffUser)
	s.AddQuestion(t, 1, "Kept?", "-1 hour", apptest.Choice{ID: 10, Text: "Kept", Votes: 3})
	pub := s.text(t, "SELECT to_char(pub_date AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI') FROM polls_question WHERE id = 1")
	for _, tt := range []struct {
		name string
		path string
		form url.Values
		want []string
	}{
		{"NUL in question text", "/admin/polls/question/add/",
			url.Values{"question_text": {"a\x00b"}, "pub_date": {"2024-05-06T07:08"}}, []string{nulMessage}},
		{"invalid UTF-8 in question text", "/admin/polls/question/add/",
			url.Values{"question_text": {"a\xffb"}, "pub_date": {"2024-05-06T07:08"}}, []string{utf8Message}},
		{"NUL and invalid UTF-8 in new choices", "/admin/polls/question/add/",
			url.Values{"question_text": {"Fine?"}, "pub_date": {"2024-05-06T07:08"}, "choice_text": {"ok", "\x00", "x\xc3"}},
			[]string{nulMessage, utf8Message}},
		{"NUL in a renamed choice", "/admin/polls/question/1/change/",
			url.Values{"question_text": {"Kept?"}, "pub_date": {pub}, "choice_id": {"10"}, "choice_text": {"Ke\x00pt"}}, []string{nulMessage}},
		{"NUL in the question being changed", "/admin/polls/question/1/change/",
			url.Values{"question_text": {"\x00"}, "pub_date": {pub}, "choice_id": {"10"}, "choice_text": {"Kept"}}, []string{nulMessage}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s.postForm(t, tt.path, tt.form, tt.want)
		})
	}
	if got := s.text(t, "SELECT string_agg(q.question_text || '/' || c.choice_text, ',') FROM polls_question q JOIN polls_choice c ON c.question_id = q.id"); got != "Kept?/Kept" {
		t.Errorf("after refused forms: got %q, want only Kept?/Kept", got)
	}
	s.wantCount(t, "log entries after refused forms", 0, "SELECT count(*) FROM django_admin_log")
	s.noErrorLogged(t)
}

func TestNulAndInvalidUTF8InUserFormsAreFieldErrors(t *testing.T) {
	s := newSite(t).loggedInAs(t, superuser)
	id := s.addUser(t, staffUser)
	change := fmt.Sprintf("/admin/auth/user/%d/change/", id)
	for _, tt := range []struct {
		name string
		path string
		form url.Values
		want []string
	}{
		{"add, every field", "/admin/auth/user/add/", url.Values{
			"username": {"adm\x00in"}, "email": {"a\xff@example.com"}, "password1": {"quiet\x00meadow 42"}, "password2": {"quiet meadow\xfe 42"},
		}, []string{nulMessage, utf8Message, nulMessage, utf8Message}},
		{"add, one password unusable", "/admin/auth/user/add/", url.Values{
			"username": {"dora"}, "password1": {"quiet meadow 42"}, "password2": {"quiet meadow 42\x00"},
		}, []string{nulMessage}},
		{"change, username and email", change, url.Values{
			"username": {"edi\xc0tor"}, "email": {"editor@example.com\x00"}, "is_active": {"on"}, "is_staff": {"on"},
		}, []string{utf8Message, nulMessage}},
		{"change, new password", change, url.Values{
			"username": {"editor"}, "email": {"editor@example.com"}, "password1": {"\x00\x00\x00\x00\x00\x00\x00\x00"}, "password2": {"\x00\x00\x00\x00\x00\x00\x00\x00"},
		}, []string{nulMessage, nulMessage}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s.postForm(t, tt.path, tt.form, tt.want)
		})
	}
	if got := s.text(t, "SELECT string_agg(username || ' ' || email, ',' ORDER BY id) FROM auth_user"); got != "admin admin@example.com,editor editor@example.com" {
		t.Errorf("users after refused forms: got %q, want them unchanged", got)
	}
	staff := s.browser(t)
	staff.login(t, staffUser) // the password is unchanged
	s.noErrorLogged(t)
}

// TestUnusualButValidQuestionInput keeps passing what already passed: dates
// at the ends of what the form takes, texts at the column's length in
// characters of four bytes, a choice id past int64.
func TestUnusualButValidQuestionInput(t *testing.T) {
	s := newSite(t).loggedInAs(t, staffUser)
	pizza := strings.Repeat("🍕", 200)
	for _, form := range []url.Values{
		{"question_text": {"Year zero?"}, "pub_date": {"0000-01-01T00:00"}},
		{"question_text": {"Year 9999?"}, "pub_date": {"9999-12-31T23:59:59"}},
		{"question_text": {pizza}, "pub_date": {"2024-01-01T00:00"}, "choice_text": {pizza}},
	} {
		s.postRedirect(t, "/admin/polls/question/add/", form)
	}
	// ISO year 0 is 1 BC: PostgreSQL has no year 0.
	if got := s.text(t, "SELECT string_agg(to_char(pub_date AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS BC'), ',' ORDER BY id) FROM polls_question"); got != "0001-01-01 00:00:00 BC,9999-12-31 23:59:59 AD,2024-01-01 00:00:00 AD" {
		t.Errorf("dates saved: got %q", got)
	}
	s.postForm(t, "/admin/polls/question/add/", url.Values{"question_text": {pizza + "🍕"}, "pub_date": {"2024-01-01T00:00"}},
		[]string{"Ensure this value has at most 200 characters (it has 201)."})
	resp, _ := s.post(t, "/admin/polls/question/add/", url.Values{"question_text": {"x"}, "pub_date": {"2024-01-01T00:00"},
		"choice_id": {"99999999999999999999"}, "choice_text": {"a"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a choice id past int64: got %d, want 400", resp.StatusCode)
	}
	s.getOK(t, "/admin/polls/question/")
	s.noErrorLogged(t)
}

// TestNulAndInvalidUTF8InPasswordChangeAreFieldErrors: the password change
// form refuses text no password may hold, field by field, and changes nothing.
func TestNulAndInvalidUTF8InPasswordChangeAreFieldErrors(t *testing.T) {
	s := newSite(t).loggedInAs(t, staffUser)
	s.postForm(t, "/admin/password_change/", url.Values{
		"old_password": {staffUser.password + "\x00"}, "new_password1": {"\x00\x00\x00\x00\x00\x00\x00\x00"}, "new_password2": {"fresh\xffmeadow 42"},
	}, []string{nulMessage, nulMessage, utf8Message}) // in the form's order: old, new, again
	s.browser(t).login(t, staffUser) // the password is unchanged
	s.noErrorLogged(t)
}
