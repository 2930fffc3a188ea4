package admin_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestLoginRefusesNulAndInvalidUTF8: a username or password PostgreSQL
// cannot take gets the form back with a field error (Django's message for
// NUL), never a 500 and never an ERROR line; nor does it count as a failed
// login.
func TestLoginRefusesNulAndInvalidUTF8(t *testing.T) {
	s := newSite(t)
	s.addUser(t, superuser)
	const (
		nul  = "Null characters are not allowed."
		utf8 = "Enter valid text: this value is not valid UTF-8."
	)
	for _, tt := range []struct {
		name, username, password string
		want                     []string
	}{
		{"NUL in the username", "adm\x00in", superuser.password, []string{nul}},
		{"invalid UTF-8 in the username", "adm\xffin", superuser.password, []string{utf8}},
		{"NUL in the password", superuser.name, "correct\x00horse", []string{nul}},
		{"invalid UTF-8 in the password", superuser.name, "correct \xc3horse", []string{utf8}},
		{"both", "\x00", "\xfe\xff", []string{nul, utf8}},
		{"NUL and a blank password", "a\x00", "", []string{nul, "This field is required."}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := s.post(t, "/admin/login/", url.Values{"username": {tt.username}, "password": {tt.password}})
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("got status %d, want 200 with the form again; body:\n%s", resp.StatusCode, body)
			}
			if got := fieldErrors(body); !slices.Equal(got, tt.want) {
				t.Errorf("got errors %q, want %q", got, tt.want)
			}
		})
	}
	for _, line := range strings.Split(s.srv.Logs.String(), "\n") {
		if strings.Contains(line, "level=ERROR") {
			t.Errorf("got an ERROR logged, want none: %s", line)
		}
	}
	// Six refused forms, more than the throttle's limit: none was a guess.
	s.login(t, superuser)
}
