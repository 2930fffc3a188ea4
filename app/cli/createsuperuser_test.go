package cli_test

import (
	"strings"
	"testing"

	"polls/app/apptest"
)

// converse runs createsuperuser with input as what the person types, and
// returns the transcript (prompts, listings and complaints, in order) and the
// exit status as main would compute it.
func converse(t *testing.T, input string, env map[string]string, args ...string) (string, int) {
	t.Helper()
	return runTyped(t, input, env, append([]string{"createsuperuser"}, args...)...)
}

// inOrder fails unless every fragment appears in out, each after the previous.
func inOrder(t *testing.T, out string, fragments ...string) {
	t.Helper()
	rest := out
	for _, f := range fragments {
		i := strings.Index(rest, f)
		if i < 0 {
			t.Fatalf("transcript: got no %q after the previous fragments in:\n%s", f, out)
		}
		rest = rest[i+len(f):]
	}
}

// users lists a tenant's users as "name staff superuser active hash-prefix".
func users(t *testing.T, tn apptest.Tenant) []string {
	t.Helper()
	var out []string
	tn.Scan(t, &out, `SELECT concat_ws(' ', username, email, is_staff, is_superuser, is_active, left(password, 16))
		FROM auth_user ORDER BY username`)
	return out
}

func TestCreateSuperuserDialogue(t *testing.T) {
	a, b := apptest.NewTenant(t), apptest.NewTenant(t)
	a.Exec(t, "INSERT INTO auth_user (username, password) VALUES ('taken', '!')")
	input := strings.Join([]string{
		"?", "nosuch", a.Schema,
		"bad name!", "", "taken", "boss",
		"not-an-email", "boss@example.com",
		"secret one", "secret two",
		"", "",
		"boss1", "boss1", "n",
		"12345678", "12345678", "",
		"quiet meadow 42", "quiet meadow 42",
	}, "\n") + "\n"
	out, code := converse(t, input, nil)
	if code != 0 {
		t.Fatalf("got exit %d, want 0; transcript:\n%s", code, out)
	}
	inOrder(t, out,
		"Enter Tenant Schema ('?' to list schemas): ",
		a.Schema+" - "+a.Domain+"\n",
		"Enter Tenant Schema ('?' to list schemas): ",
		"Invalid tenant schema, 'nosuch'\n",
		"Enter Tenant Schema ('?' to list schemas): ",
		"Username: Error: Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.\n",
		"Username: Error: This field cannot be blank.\n",
		"Username: Error: That username is already taken.\n",
		"Username: Email address: Error: Enter a valid email address.\n",
		"Email address: Password: Password (again): Error: Your passwords didn't match.\n",
		"Password: Password (again): Error: Blank passwords aren't allowed.\n",
		"Password: Password (again): The password is too similar to the username.\nThis password is too short. It must contain at least 8 characters.\n",
		"Bypass password validation and create user anyway? [y/N]: ",
		"Password: Password (again): This password is too common.\nThis password is entirely numeric.\n",
		"Bypass password validation and create user anyway? [y/N]: ",
		"Password: Password (again): Superuser created successfully.\n",
	)
	if !strings.Contains(out, b.Schema+" - "+b.Domain+"\n") {
		t.Errorf("'?' listing: got no line for %s in:\n%s", b.Schema, out)
	}
	if strings.Contains(out, "quiet meadow") {
		t.Errorf("transcript: got the password echoed, want it never printed")
	}
	if got, want := users(t, a), []string{"boss boss@example.com t t t argon2$argon2id$", "taken  f f t !"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("users of %s: got %q, want %q", a.Schema, got, want)
	}
	if got := users(t, b); len(got) != 0 {
		t.Errorf("users of the other tenant: got %q, want none", got)
	}
}

func TestCreateSuperuserBypassAndDefaults(t *testing.T) {
	tn := apptest.NewTenant(t)
	// --tenant skips the tenant question; $USER is offered as the username.
	out, code := converse(t, "\n\nshort\nshort\ny\n", map[string]string{"USER": "Root"}, "--tenant", tn.Schema)
	if code != 0 {
		t.Fatalf("got exit %d, want 0; transcript:\n%s", code, out)
	}
	inOrder(t, out, "Username (leave blank to use 'root'): ", "Email address: ", "This password is too short.",
		"Bypass password validation and create user anyway? [y/N]: ", "Superuser created successfully.")
	if strings.Contains(out, "Enter Tenant Schema") {
		t.Errorf("got the tenant asked for despite --tenant")
	}
	if got := users(t, tn); len(got) != 1 || !strings.HasPrefix(got[0], "root  t t t") {
		t.Errorf("users: got %q, want root, a superuser without email", got)
	}
	// A taken default is not offered.
	out, _ = converse(t, "", map[string]string{"USER": "root"}, "--tenant", tn.Schema)
	inOrder(t, out, "Username: ", "operation cancelled")
}

func TestCreateSuperuserInputEndingEarly(t *testing.T) {
	tn := apptest.NewTenant(t)
	out, code := converse(t, tn.Schema+"\nalice\n", nil)
	if code != 1 || !strings.Contains(out, "polls: operation cancelled") {
		t.Errorf("got exit %d, transcript:\n%s\nwant exit 1 and operation cancelled", code, out)
	}
	if got := users(t, tn); len(got) != 0 {
		t.Errorf("users: got %q, want none", got)
	}
}

func TestCreateSuperuserNoInput(t *testing.T) {
	tn := apptest.NewTenant(t)
	good := map[string]string{"POLLS_SUPERUSER_PASSWORD": "quiet meadow 42"}
	out, code := converse(t, "", good, "--tenant", tn.Schema, "--username", "ops", "--email", "ops@example.com", "--no-input")
	if code != 0 || out != "Superuser created successfully.\n" {
		t.Fatalf("got exit %d, output %q; want 0 and only the success line", code, out)
	}
	if got := users(t, tn); len(got) != 1 || got[0] != "ops ops@example.com t t t argon2$argon2id$" {
		t.Errorf("users: got %q", got)
	}
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"nothing given", nil, []string{"--no-input"}, 2, "createsuperuser --no-input needs --tenant, --username, $POLLS_SUPERUSER_PASSWORD"},
		{"no password", nil, []string{"--no-input", "--tenant", tn.Schema, "--username", "x"}, 2, "needs $POLLS_SUPERUSER_PASSWORD"},
		{"unknown tenant", good, []string{"--noinput", "--tenant", "nosuch", "--username", "x"}, 1, `there is no tenant with schema "nosuch"`},
		{"taken", good, []string{"--no-input", "--tenant", tn.Schema, "--username", "ops"}, 1, "That username is already taken."},
		{"bad username", good, []string{"--no-input", "--tenant", tn.Schema, "--username", "a b"}, 1, "Enter a valid username."},
		{"bad email", good, []string{"--no-input", "--tenant", tn.Schema, "--username", "x", "--email", "nope"}, 1, "Enter a valid email address."},
		{"weak password", map[string]string{"POLLS_SUPERUSER_PASSWORD": "password"}, []string{"--no-input", "--tenant", tn.Schema, "--username", "x"}, 1,
			"$POLLS_SUPERUSER_PASSWORD is refused: This password is too common."},
		{"arguments", good, []string{"extra"}, 2, "createsuperuser takes only flags"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, code := converse(t, "", tt.env, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("got exit %d, output:\n%s\nwant exit %d with %q", code, out, tt.code, tt.want)
			}
		})
	}
	if got := users(t, tn); len(got) != 1 {
		t.Errorf("users after refusals: got %q, want only ops", got)
	}
}
