package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
	"polls/app/tenant"
)

// voteTarget gives tn a question with one choice, and a trigger on its
// choices that runs body (PL/pgSQL) whenever a vote updates one: the trigger
// runs with the rights of whoever sends the UPDATE, so it sees the request's
// own role. It returns the question and choice ids.
func voteTarget(t *testing.T, tn apptest.Tenant, body string) (question, choice int64) {
	t.Helper()
	tn.Exec(t, `INSERT INTO polls_question (question_text, pub_date) VALUES ('Who votes?', now() - interval '1 hour')`)
	tn.Scan(t, &question, `SELECT id FROM polls_question`)
	tn.Exec(t, `INSERT INTO polls_choice (question_id, choice_text) VALUES (?, 'nobody yet')`, question)
	tn.Scan(t, &choice, `SELECT id FROM polls_choice`)
	tn.Exec(t, `CREATE FUNCTION on_vote() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN `+body+` RETURN NEW; END $$`)
	tn.Exec(t, `CREATE TRIGGER on_vote BEFORE UPDATE ON polls_choice FOR EACH ROW EXECUTE FUNCTION on_vote()`)
	return question, choice
}

// vote posts a vote through the server as a browser on tn's site would.
func vote(t *testing.T, srv *apptest.Server, tn apptest.Tenant, question, choice int64) (*http.Response, string) {
	t.Helper()
	client := srv.Client(t)
	token := apptest.CSRF(t, client, tn.Domain, "/polls/")
	return apptest.Post(t, client, tn.Domain, fmt.Sprintf("/polls/%d/vote/", question),
		url.Values{"choice": {fmt.Sprint(choice)}, "csrfmiddlewaretoken": {token}})
}

// TestRequestsRunAsTheirTenantRole: through the real server, a request's
// queries run as the tenant's own role under roles isolation (the default),
// and as polls' database user under search_path isolation.
func TestRequestsRunAsTheirTenantRole(t *testing.T) {
	var user string
	if err := apptest.DB(t).SQL.QueryRow(`SELECT current_user`).Scan(&user); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		isolation tenant.Isolation
		want      func(apptest.Tenant) string
	}{
		{tenant.IsolationRoles, func(tn apptest.Tenant) string { return tenant.RoleFor(tn.Schema) }},
		{tenant.IsolationSearchPath, func(apptest.Tenant) string { return user }},
	} {
		t.Run(string(tt.isolation), func(t *testing.T) {
			srv := apptest.NewServerWith(t, apptest.Options{Isolation: tt.isolation})
			a := apptest.NewTenant(t)
			question, choice := voteTarget(t, a, `NEW.choice_text := current_user;`)
			if resp, body := vote(t, srv, a, question, choice); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("vote: got %d, want 303\n%s", resp.StatusCode, body)
			}
			var ranAs string
			a.Scan(t, &ranAs, `SELECT choice_text FROM polls_choice WHERE id = ?`, choice)
			if want := tt.want(a); ranAs != want {
				t.Fatalf("the vote's UPDATE ran as %q, want %q", ranAs, want)
			}
		})
	}
}

// TestCrossTenantQueryIsRefusedThroughTheServer: a query of a real handler
// that reaches another tenant's table is refused by PostgreSQL itself (42501);
// the visitor gets the 500 page and no detail, the log a security event naming
// both tenants, and nothing of the request is kept.
func TestCrossTenantQueryIsRefusedThroughTheServer(t *testing.T) {
	srv := apptest.NewServer(t)
	a, b := apptest.NewTenant(t), apptest.NewTenant(t)
	b.Exec(t, `INSERT INTO polls_question (question_text, pub_date) VALUES ('secret of B', now())`)
	question, choice := voteTarget(t, a, `PERFORM question_text FROM `+pgx.Identifier{b.Schema, "polls_question"}.Sanitize()+`;`)

	resp, body := vote(t, srv, a, question, choice)
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "Something went wrong on our side") {
		t.Fatalf("vote reaching another tenant's table: got %d, want the 500 page\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, b.Schema) || strings.Contains(body, "permission") {
		t.Fatalf("the 500 page shows internal detail:\n%s", body)
	}
	logs := srv.Logs.String()
	want := fmt.Sprintf(`event=security tenant=%s target="schema %s"`, a.Schema, b.Schema)
	if !strings.Contains(logs, want) {
		t.Fatalf("log has no %q:\n%s", want, logs)
	}
	var votes int
	a.Scan(t, &votes, `SELECT votes FROM polls_choice WHERE id = ?`, choice)
	if votes != 0 {
		t.Fatalf("the refused vote was counted: %d votes, want 0", votes)
	}
}
