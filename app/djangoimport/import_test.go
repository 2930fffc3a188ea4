package djangoimport_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
	"polls/app/cli"
	"polls/app/tenant"
)

// importdjango runs the real command against the test database and returns
// its output (with the error as main prints it) and exit status.
func importdjango(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	err := cli.Run(context.Background(), append([]string{"importdjango"}, args...), cli.Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out,
		Getenv: func(k string) string {
			if k == "POLLS_DATABASE_URL" {
				return apptest.URL(t)
			}
			return ""
		},
	})
	if err == nil {
		return out.String(), 0
	}
	out.WriteString("polls: " + err.Error() + "\n")
	var exit *cli.ExitError
	if errors.As(err, &exit) {
		return out.String(), exit.Code
	}
	return out.String(), 1
}

// dropAfter removes the polls tenants the test imports, whatever happens.
func dropAfter(t *testing.T, schemas ...string) {
	t.Helper()
	db := apptest.DB(t).SQL
	t.Cleanup(func() {
		ctx := context.Background()
		for _, s := range schemas {
			var role sql.NullString
			_ = db.QueryRowContext(ctx, `SELECT role_name FROM public.tenants WHERE schema_name = $1`, s).Scan(&role)
			_, _ = db.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{s}.Sanitize()+" CASCADE")
			_, _ = db.ExecContext(ctx, "DELETE FROM public.tenants WHERE schema_name = $1", s)
			apptest.DropRole(t, db, role.String)
		}
	})
}

// login posts the admin's login form and reports whether it let the user in.
func login(t *testing.T, c *http.Client, domain, username, password string) (bool, string) {
	t.Helper()
	form := url.Values{"csrfmiddlewaretoken": {apptest.CSRF(t, c, domain, "/admin/login/")},
		"username": {username}, "password": {password}}
	resp, body := apptest.Post(t, c, domain, "/admin/login/", form)
	if resp.StatusCode >= 500 {
		t.Fatalf("login of %s on %s: %d\n%s", username, domain, resp.StatusCode, body)
	}
	return resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == "/admin/", body
}

// storedHash reads a user's password hash in a polls tenant.
func storedHash(t *testing.T, schema, username string) string {
	t.Helper()
	var h string
	err := apptest.DB(t).SQL.QueryRowContext(context.Background(),
		`SELECT password FROM `+pgx.Identifier{schema, "auth_user"}.Sanitize()+` WHERE username = $1`, username).Scan(&h)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// tenantExists reports whether polls has anything of schema: its registry
// row, a domain, or the schema itself.
func tenantExists(t *testing.T, schema string) bool {
	t.Helper()
	var n int
	err := apptest.DB(t).SQL.QueryRowContext(context.Background(), `SELECT
		(SELECT count(*) FROM public.tenants WHERE schema_name = $1) +
		(SELECT count(*) FROM public.domains d JOIN public.tenants t ON t.id = d.tenant_id WHERE t.schema_name = $1) +
		(SELECT count(*) FROM pg_namespace WHERE nspname = $1)`, schema).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// The seed's own stack: django-tenant-schemas, two clients with the
// tutorial's polls, users whose passwords Django hashed with each of its
// hashers; and a third whose rows polls refuses. Imported by the real
// command, then used through polls' real server.
func TestImportDjangoTenantSchemas(t *testing.T) {
	p := apptest.RandomName(6)
	c1, c2, c3 := "client1_"+p, "client2_"+p, "client3_"+p
	d1, d2, d3 := "client1-"+p+".maboite.test", "client2-"+p+".maboite.test", "client3-"+p+".maboite.test"
	dropAfter(t, c1, c2, c3)

	site := newDjangoSite(t, "tenant-schemas")
	users := []djangoUser{
		{Username: "argon", Password: "argon-pw-1", Hasher: "argon2", Staff: true, FirstName: "Ada"},
		{Username: "bcsha", Password: "bcsha-pw-1", Hasher: "bcrypt_sha256", Staff: true},
		{Username: "bc", Password: "bc-pw-1", Hasher: "bcrypt", Staff: true},
		{Username: "sha1", Password: "sha1-pw-1", Hasher: "pbkdf2_sha1", Staff: true},
		{Username: "locked", Password: "locked-pw-1", Staff: true, Unusable: true},
	}
	site.addTenant(t, client{Schema: c1, Name: "Mon premier client", PaidUntil: "2050-12-31", Domains: []string{d1}},
		tenantContent{
			Superuser: &djangoUser{Username: "admin", Email: "admin@client1.test", Password: "client1 secret"},
			Users:     users,
			Questions: []question{
				{Text: "What's up?", DaysAgo: 1, Choices: [][]any{{"Not much", 3}, {"The sky", 5}}},
				{Text: "Tea or coffee?", DaysAgo: 2, Choices: [][]any{{"Tea", 1}, {"Coffee", 0}}},
			},
			Sessions: 2,
		})
	site.addTenant(t, client{Schema: c2, Name: "Un second succes", PaidUntil: "2050-12-31", OnTrial: true, Domains: []string{d2}},
		tenantContent{
			Superuser: &djangoUser{Username: "admin", Email: "admin@client2.test", Password: "client2 secret"},
			Questions: []question{{Text: "Cats or dogs?", Choices: [][]any{{"Cats", 7}, {"Dogs", 2}}}},
		})
	site.addTenant(t, client{Schema: c3, Name: "Third", PaidUntil: "2050-12-31", Domains: []string{d3}},
		tenantContent{
			Superuser: &djangoUser{Username: "admin", Email: "admin@client3.test", Password: "client3 secret"},
			Questions: []question{{Text: "Fine?", Choices: [][]any{{"Yes", 1}}}},
		})
	// Someone dropped a foreign key by hand and left a choice without its
	// question: the dry run does not look for that, and polls' key refuses
	// it while the tenant's rows are being written.
	site.exec(t, `DO $$ DECLARE c text; BEGIN
		SELECT conname INTO c FROM pg_constraint WHERE conrelid = '`+c3+`.polls_choice'::regclass AND contype = 'f';
		EXECUTE format('ALTER TABLE `+c3+`.polls_choice DROP CONSTRAINT %I', c); END $$`)
	site.exec(t, `INSERT INTO `+c3+`.polls_choice (question_id, choice_text, votes) VALUES (999, 'Orphan', 0)`)
	var djangoAdminHash string
	site.scan(t, `SELECT password FROM `+c1+`.auth_user WHERE username = 'admin'`, &djangoAdminHash)
	if !strings.HasPrefix(djangoAdminHash, "pbkdf2_sha256$") {
		t.Fatalf("createsuperuser's hash: got %q, want Django's default pbkdf2_sha256", djangoAdminHash)
	}
	from := "--from=" + site.URL

	out, code := importdjango(t, from, "--dry-run")
	if code != 0 {
		t.Fatalf("dry run: exit %d, want 0:\n%s", code, out)
	}
	for _, want := range []string{
		"dry run, nothing is created: 3 of 3 tenants of a django-tenant-schemas database",
		c1 + " -> " + c1 + `: name "Mon premier client", paid_until 2050-12-31, on_trial false`,
		"domains: " + d1 + " (primary)",
		"rows: polls_question 2, polls_choice 4, auth_user 6, django_admin_log 4, django_session 2 (not carried)",
		"note: 1 users have no password polls can verify, and cannot log in until a superuser sets one: locked (unusable)",
		"dry run: 3 would be imported, 0 skipped, 0 with problems; nothing was created",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	for _, s := range []string{c1, c2, c3} {
		if tenantExists(t, s) {
			t.Errorf("after the dry run: polls has something of %s, want nothing created", s)
		}
	}

	out, code = importdjango(t, from)
	t.Logf("polls importdjango:\n%s", out)
	if code != 1 {
		t.Fatalf("import: exit %d, want 1 (%s fails):\n%s", code, c3, out)
	}
	for _, want := range []string{
		c1 + ": imported as " + c1 + " on " + d1 + ": 2 questions, 4 choices, 6 users, 4 admin log entries (2 sessions not carried)",
		c2 + ": imported as " + c2 + " on " + d2 + ":",
		c3 + ": failed, nothing created:",
		"violates foreign key constraint",
		"imported 2, skipped 0, failed 1",
		"some tenants failed (above) and left nothing",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	if tenantExists(t, c3) {
		t.Errorf("the failed tenant %s left something in polls (row, domain or schema)", c3)
	}
	var roles int
	if err := apptest.DB(t).SQL.QueryRowContext(context.Background(), `SELECT count(*) FROM pg_roles WHERE rolname = $1`,
		apptest.Roles(t).For(c3)).Scan(&roles); err != nil || roles != 0 {
		t.Errorf("the failed tenant %s left its role (%d, %v)", c3, roles, err)
	}
	rec, err := tenant.Find(context.Background(), apptest.DB(t).SQL, c2)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Name != "Un second succes" || !rec.OnTrial || rec.PaidUntil == nil || rec.PaidUntil.Format("2006-01-02") != "2050-12-31" ||
		rec.PrimaryDomain() != d2 {
		t.Errorf("imported %s: got %+v, want Django's name, plan and domain", c2, rec)
	}

	srv := apptest.NewServer(t)
	c := srv.Client(t)
	status, index := apptest.Get(t, c, d1, "/polls/")
	if status != http.StatusOK || !strings.Contains(index, "What&#39;s up?") || !strings.Contains(index, "Tea or coffee?") ||
		strings.Contains(index, "Cats or dogs?") {
		t.Fatalf("%s /polls/: %d, want its two questions and not %s's:\n%s", d1, status, c2, index)
	}
	status, results := apptest.Get(t, c, d1, "/polls/1/results/")
	if status != http.StatusOK || !strings.Contains(results, "Not much -- 3 votes") || !strings.Contains(results, "The sky -- 5 votes") {
		t.Fatalf("%s results of question 1: %d, want Django's votes:\n%s", d1, status, results)
	}
	form := url.Values{"csrfmiddlewaretoken": {apptest.CSRF(t, c, d1, "/polls/1/")}, "choice": {"1"}}
	if resp, body := apptest.Post(t, c, d1, "/polls/1/vote/", form); resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("vote: %d\n%s", resp.StatusCode, body)
	}
	if _, results = apptest.Get(t, c, d1, "/polls/1/results/"); !strings.Contains(results, "Not much -- 4 votes") {
		t.Errorf("after a vote: want 4 votes for Not much:\n%s", results)
	}
	status, other := apptest.Get(t, c, d2, "/polls/")
	if status != http.StatusOK || !strings.Contains(other, "Cats or dogs?") || strings.Contains(other, "Tea or coffee?") {
		t.Errorf("%s /polls/: %d, want its own question only:\n%s", d2, status, other)
	}

	// Every user logs in with the password Django hashed, and from then on
	// has polls' own hash.
	logins := append([]djangoUser{{Username: "admin", Password: "client1 secret"}}, users[:4]...)
	for _, u := range logins {
		before := storedHash(t, c1, u.Username)
		if strings.HasPrefix(before, "argon2$argon2id$v=19$m=19456,") {
			t.Errorf("%s before login: got polls' own hash already, want Django's", u.Username)
		}
		uc := srv.Client(t)
		if ok, body := login(t, uc, d1, u.Username, u.Password+"x"); ok {
			t.Errorf("%s: a wrong password let them in:\n%s", u.Username, body)
		}
		if ok, body := login(t, uc, d1, u.Username, u.Password); !ok {
			t.Errorf("%s (%s): Django's password did not log in:\n%s", u.Username, before[:strings.IndexByte(before, '$')], body)
			continue
		}
		after := storedHash(t, c1, u.Username)
		if !strings.HasPrefix(after, "argon2$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Errorf("%s after login: hash %.40q, want it upgraded to polls' argon2id", u.Username, after)
		}
	}
	var first, last string
	if err := apptest.DB(t).SQL.QueryRow(`SELECT first_name, last_name FROM `+pgx.Identifier{c1, "auth_user"}.Sanitize()+
		` WHERE username = 'argon'`).Scan(&first, &last); err != nil || first != "Ada" || last != "" {
		t.Errorf("argon's names: got %q %q (%v), want Django's first name Ada carried", first, last, err)
	}
	ac := srv.Client(t)
	if ok, _ := login(t, ac, d1, "admin", "client1 secret"); !ok {
		t.Fatal("admin: the upgraded hash does not log in")
	}
	if status, adminIndex := apptest.Get(t, ac, d1, "/admin/"); status != http.StatusOK || !strings.Contains(adminIndex, "What&#39;s up?") {
		t.Errorf("admin index: %d, want the imported log entries among the recent actions:\n%s", status, adminIndex)
	}
	if ok, body := login(t, srv.Client(t), d1, "locked", "locked-pw-1"); ok || !strings.Contains(body, "Please enter the correct username and password") {
		t.Errorf("a user with an unusable password: want the wrong-password answer:\n%s", body)
	}
	if ok, _ := login(t, srv.Client(t), d2, "admin", "client1 secret"); ok {
		t.Errorf("%s's admin password logged in on %s", c1, d2)
	}
	if ok, _ := login(t, srv.Client(t), d2, "admin", "client2 secret"); !ok {
		t.Errorf("%s's admin: Django's password did not log in", c2)
	}
	var next, max int64
	if err := apptest.DB(t).SQL.QueryRowContext(context.Background(), fmt.Sprintf(
		`SELECT nextval('%s.polls_question_id_seq'), (SELECT max(id) FROM %s.polls_question)`, c1, c1)).Scan(&next, &max); err != nil {
		t.Fatal(err)
	}
	if next <= max {
		t.Errorf("polls_question's sequence: next id %d, want past the imported %d", next, max)
	}

	out, code = importdjango(t, from, "--schema", c1, "--schema", c2)
	if code != 0 || strings.Count(out, "skipped (already imported)") != 2 || !strings.Contains(out, "imported 0, skipped 2, failed 0") {
		t.Errorf("rerun: exit %d, want 0 and both skipped:\n%s", code, out)
	}
	var stillDjango string
	site.scan(t, `SELECT password FROM `+c1+`.auth_user WHERE username = 'admin'`, &stillDjango)
	if stillDjango != djangoAdminHash {
		t.Errorf("the Django database changed: admin's hash there is now %q", stillDjango)
	}
}
