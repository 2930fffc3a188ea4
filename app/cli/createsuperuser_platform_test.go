package cli_test

import (
	"strings"
	"testing"

	"polls/app/apptest"
)

// platformUsers lists the platform's users named like prefix% as
// "name email staff superuser active".
func platformUsers(t *testing.T, prefix string) []string {
	t.Helper()
	rows, err := apptest.DB(t).SQL.Query(`SELECT concat_ws(' ', username, email, is_staff, is_superuser, is_active)
		FROM polls_platform.auth_user WHERE username LIKE $1 || '%' ORDER BY username`, prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// createsuperuser --platform makes a user of the platform admin, in the
// platform's own schema, with the same checks as a tenant's superuser, and
// no tenant gets it.
func TestCreateSuperuserPlatform(t *testing.T) {
	tn := apptest.NewTenant(t)
	name := "plat_" + apptest.RandomName(6)
	good := map[string]string{"POLLS_SUPERUSER_PASSWORD": "quiet meadow 42"}
	out, code := converse(t, "", good, "--platform", "--username", name, "--email", "ops@example.com", "--no-input")
	if code != 0 || out != "Superuser created successfully.\n" {
		t.Fatalf("got exit %d, output %q; want 0 and only the success line", code, out)
	}
	if got := platformUsers(t, name); len(got) != 1 || got[0] != name+" ops@example.com t t t" {
		t.Errorf("platform users: got %q", got)
	}
	if got := users(t, tn); len(got) != 0 {
		t.Errorf("the tenant's users: got %q, want none", got)
	}

	// The dialogue asks no tenant.
	second := name + "_2"
	out, code = converse(t, second+"\n\nquiet meadow 42\nquiet meadow 42\n", nil, "--platform")
	if code != 0 || strings.Contains(out, "Enter Tenant Schema") {
		t.Fatalf("the dialogue: got exit %d, transcript:\n%s\nwant exit 0 and no tenant asked", code, out)
	}
	inOrder(t, out, "Username", "Email address: ", "Password: ", "Password (again): ", "Superuser created successfully.")

	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"both", good, []string{"--platform", "--tenant", tn.Schema, "--username", "x", "--no-input"}, 2, "--tenant SCHEMA or --platform, not both"},
		{"no username", good, []string{"--platform", "--no-input"}, 2, "createsuperuser --no-input needs --username"},
		{"taken", good, []string{"--platform", "--no-input", "--username", name}, 1, "That username is already taken."},
		{"weak password", map[string]string{"POLLS_SUPERUSER_PASSWORD": "password"}, []string{"--platform", "--no-input", "--username", name + "_3"}, 1,
			"$POLLS_SUPERUSER_PASSWORD is refused: This password is too common."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, code := converse(t, "", tt.env, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("got exit %d, output:\n%s\nwant exit %d with %q", code, out, tt.code, tt.want)
			}
		})
	}
	if got := platformUsers(t, name); len(got) != 2 {
		t.Errorf("platform users after refusals: got %q, want the two created", got)
	}
}

// On a database from before the platform admin (shared migration 8), the
// command brings the shared schema up first, as createtenant does.
func TestCreateSuperuserPlatformMigratesFirst(t *testing.T) {
	db := apptest.NewDatabase(t)
	if _, err := db.SQL.Exec(`DROP SCHEMA polls_platform CASCADE; UPDATE public.schema_migrations SET version = 8`); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"POLLS_DATABASE_URL": db.URL, "POLLS_SUPERUSER_PASSWORD": "quiet meadow 42"}
	if out, code := converse(t, "", env, "--platform", "--username", "first", "--no-input"); code != 0 {
		t.Fatalf("got exit %d, output:\n%s", code, out)
	}
	var n int
	if err := db.SQL.QueryRow(`SELECT count(*) FROM polls_platform.auth_user WHERE username = 'first'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the platform user: got %d (%v), want 1", n, err)
	}
}
