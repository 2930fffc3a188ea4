package admin_test

import (
	"net/url"
	"regexp"
	"slices"
	"testing"
)

var recentRe = regexp.MustCompile(`(?s)<aside id="recent-actions-module".*?</aside>`)

// recentActions returns the object names listed under Recent actions on the
// admin index, newest first.
func (s site) recentActions(t *testing.T) []string {
	t.Helper()
	panel := recentRe.FindString(s.getOK(t, "/admin/"))
	if panel == "" {
		t.Fatal("admin index: got no Recent actions panel")
	}
	var names []string
	for _, m := range regexp.MustCompile(`(?s)<li class="\w+">\s*(.*?)\s*<span`).FindAllStringSubmatch(panel, -1) {
		names = append(names, visible(m[1]))
	}
	return names
}

// TestRecentActionsAreTheViewersOwn follows Django's admin index, whose
// "Recent actions" panel lists "My actions" only, for superusers too: no one
// learns there what others did, nor the names of users they may not see.
func TestRecentActionsAreTheViewersOwn(t *testing.T) {
	admin := newSite(t).loggedInAs(t, superuser)
	editor := admin.browser(t).loggedInAs(t, staffUser)
	newcomer := admin.browser(t).loggedInAs(t, user{name: "newcomer", password: "amber falcon ridge", staff: true, active: true})

	admin.postRedirect(t, "/admin/auth/user/add/", url.Values{
		"username": {"secret-agent"}, "password1": {"quiet meadow 42"}, "password2": {"quiet meadow 42"}, "is_active": {"on"},
	})
	admin.postRedirect(t, "/admin/polls/question/add/", url.Values{"question_text": {"Admin's question?"}, "pub_date": {"2024-01-01T00:00"}})
	editor.postRedirect(t, "/admin/polls/question/add/", url.Values{"question_text": {"Editor's question?"}, "pub_date": {"2024-01-01T00:00"}})

	for _, tt := range []struct {
		who  string
		s    site
		want []string
	}{
		{"staff", editor, []string{"Editor's question?"}},
		{"superuser", admin, []string{"Admin's question?", "secret-agent"}},
		{"staff with no actions", newcomer, nil},
	} {
		if got := tt.s.recentActions(t); !slices.Equal(got, tt.want) {
			t.Errorf("%s's recent actions: got %q, want %q", tt.who, got, tt.want)
		}
	}
	admin.noErrorLogged(t)
}
