package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestStaffWhoIsNotSuperuserCannotManageUsers(t *testing.T) {
	s := newSite(t).loggedInAs(t, staffUser)
	id := s.addUser(t, superuser)
	for _, path := range []string{"/admin/auth/", "/admin/auth/user/", "/admin/auth/user/add/", fmt.Sprintf("/admin/auth/user/%d/change/", id), fmt.Sprintf("/admin/auth/user/%d/delete/", id)} {
		if status, _ := s.get(t, path); status != http.StatusForbidden {
			t.Errorf("GET %s as staff: got %d, want 403", path, status)
		}
	}
	resp, _ := s.post(t, fmt.Sprintf("/admin/auth/user/%d/delete/", id), url.Values{"post": {"yes"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST delete as staff: got %d, want 403", resp.StatusCode)
	}
	s.wantCount(t, "users", 2, "SELECT count(*) FROM auth_user")
}

func TestSuperuserManagesUsers(t *testing.T) {
	s := newSite(t).loggedInAs(t, superuser)
	body := s.getOK(t, "/admin/auth/user/")
	if got := resultRows(body); !slices.Equal(got, []string{"admin admin@example.com   ✔ Yes ✔ Yes ✔ Yes"}) {
		t.Errorf("user list: got %q", got)
	}

	t.Run("add, invalid", func(t *testing.T) {
		for _, tt := range []struct {
			name   string
			form   url.Values
			errors []string
		}{
			{"blank", url.Values{}, []string{"This field is required.", "This field is required.", "This field is required."}},
			{"taken and mismatched", url.Values{"username": {"admin"}, "email": {"nope"}, "password1": {"long enough pass"}, "password2": {"other long pass"}},
				[]string{"A user with that username already exists.", "Enter a valid email address.", "The two password fields didn’t match."}},
			{"weak password", url.Values{"username": {"bob!"}, "password1": {"12345678"}, "password2": {"12345678"}},
				[]string{"Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
					"This password is too common. This password is entirely numeric."}},
			{"long last name", url.Values{"username": {"dave"}, "last_name": {strings.Repeat("é", 151)}, "password1": {"quiet meadow 42"}, "password2": {"quiet meadow 42"}},
				[]string{"Ensure this value has at most 150 characters (it has 151)."}},
		} {
			resp, body := s.post(t, "/admin/auth/user/add/", tt.form)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: got %d, want 200 with the form again", tt.name, resp.StatusCode)
			}
			if got := fieldErrors(body); !slices.Equal(got, tt.errors) {
				t.Errorf("%s: got errors %q, want %q", tt.name, got, tt.errors)
			}
		}
		s.wantCount(t, "users after invalid forms", 1, "SELECT count(*) FROM auth_user")
	})

	to := s.postRedirect(t, "/admin/auth/user/add/", url.Values{
		"username": {"carol"}, "first_name": {" Carol "}, "email": {"carol@example.com"}, "password1": {"quiet meadow 42"}, "password2": {"quiet meadow 42"},
		"is_active": {"on"}, "is_staff": {"on"}, "_continue": {"x"},
	})
	id := s.scalar(t, "SELECT id FROM auth_user WHERE username = 'carol'")
	if want := fmt.Sprintf("/admin/auth/user/%d/change/", id); to != want {
		t.Errorf("add: got redirect to %q, want %q", to, want)
	}
	if got := s.text(t, "SELECT is_staff::text || is_superuser::text || is_active::text || left(password, 16) FROM auth_user WHERE id = ?", id); got != "truefalsetrueargon2$argon2id$" {
		t.Errorf("carol: got %q, want staff, not superuser, active, argon2id hash", got)
	}
	carol := s.browser(t)
	carol.login(t, user{name: "carol", password: "quiet meadow 42"})
	if status, _ := carol.get(t, "/admin/"); status != http.StatusOK {
		t.Fatalf("carol's index: got %d, want 200", status)
	}

	body = s.getOK(t, to)
	for _, want := range []string{`value="carol"`, `id="id_first_name" value="Carol"`, `name="is_staff" id="id_is_staff" checked`, "Last login:", "Date joined:"} {
		if !strings.Contains(body, want) {
			t.Errorf("change form: got no %s", want)
		}
	}
	// Taking away staff status and setting a password ends carol's session.
	s.postRedirect(t, to, url.Values{"username": {"carol"}, "first_name": {"Carol"}, "last_name": {"Jones"}, "email": {"carol@example.com"}, "is_active": {"on"},
		"password1": {"brand new secret"}, "password2": {"brand new secret"}})
	if status, _ := carol.get(t, "/admin/"); status != http.StatusFound {
		t.Errorf("carol's index after the change: got %d, want 302 to login", status)
	}
	s.wantCount(t, "carol's sessions", 0, "SELECT count(*) FROM django_session WHERE user_id = ?", id)
	if got := s.text(t, "SELECT change_message FROM django_admin_log WHERE action_flag = 2"); got != "Changed last name, staff status, password." {
		t.Errorf("log: got %q", got)
	}

	body = s.getOK(t, fmt.Sprintf("/admin/auth/user/%d/delete/", id))
	if !strings.Contains(body, "Are you sure you want to delete the user “carol”?") {
		t.Errorf("delete confirmation: got %s", body)
	}
	to = s.postRedirect(t, fmt.Sprintf("/admin/auth/user/%d/delete/", id), url.Values{"post": {"yes"}})
	if got := message(s.getOK(t, to)); got != "The user “carol” was deleted successfully." {
		t.Errorf("message: got %q", got)
	}
	s.wantCount(t, "users after delete", 1, "SELECT count(*) FROM auth_user")
	s.wantCount(t, "log entries by admin (added, changed, deleted carol)", 3, "SELECT count(*) FROM django_admin_log WHERE user_id IS NOT NULL")
}

func TestPasswordChange(t *testing.T) {
	s := newSite(t).loggedInAs(t, staffUser)
	other := s.browser(t)
	other.login(t, staffUser)

	if body := s.getOK(t, "/admin/password_change/"); !strings.Contains(body, `name="old_password"`) {
		t.Fatalf("password change form: got %s", body)
	}
	for _, tt := range []struct {
		name   string
		form   url.Values
		errors []string
	}{
		{"wrong old password", url.Values{"old_password": {"guess"}, "new_password1": {"fresh violet tree"}, "new_password2": {"fresh violet tree"}},
			[]string{"Your old password was entered incorrectly. Please enter it again."}},
		{"mismatch", url.Values{"old_password": {staffUser.password}, "new_password1": {"fresh violet tree"}, "new_password2": {"fresh violet tre"}},
			[]string{"The two password fields didn’t match."}},
		{"too similar and short", url.Values{"old_password": {staffUser.password}, "new_password1": {"editor1"}, "new_password2": {"editor1"}},
			[]string{"The password is too similar to the username. This password is too short. It must contain at least 8 characters."}},
	} {
		resp, body := s.post(t, "/admin/password_change/", tt.form)
		if got := fieldErrors(body); resp.StatusCode != http.StatusOK || !slices.Equal(got, tt.errors) {
			t.Errorf("%s: got %d with %q, want 200 with %q", tt.name, resp.StatusCode, got, tt.errors)
		}
	}
	to := s.postRedirect(t, "/admin/password_change/", url.Values{"old_password": {staffUser.password}, "new_password1": {"fresh violet tree"}, "new_password2": {"fresh violet tree"}})
	if body := s.getOK(t, to); !strings.Contains(body, "Password change successful") {
		t.Errorf("done page: got %s", body)
	}
	if status, _ := other.get(t, "/admin/"); status != http.StatusFound {
		t.Errorf("the other browser after the change: got %d, want 302 to login", status)
	}
	s.browser(t).login(t, user{name: staffUser.name, password: "fresh violet tree"})
}
