package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
	"polls/app/tenant"
)

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
		{tenant.IsolationRoles, func(tn apptest.Tenant) string { return tn.Role }},
		{tenant.IsolationSearchPath, func(apptest.Tenant) string { return user }},
	} {
		t.Run(string(tt.isolation), func(t *testing.T) {
			srv := apptest.NewServerWith(t, apptest.Options{Isolation: tt.isolation})
			a := newBallot(t, apptest.NewTenant(t), `NEW.choice_text := current_user;`)
			if resp, body := a.vote(t, srv); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("vote: got %d, want 303\n%s", resp.StatusCode, body)
			}
			var ranAs string
			a.Scan(t, &ranAs, `SELECT choice_text FROM polls_choice WHERE id = ?`, a.choice)
			if want := tt.want(a.Tenant); ranAs != want {
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
	b := apptest.NewTenant(t)
	b.Exec(t, `INSERT INTO polls_question (question_text, pub_date) VALUES ('secret of B', now())`)
	a := newBallot(t, apptest.NewTenant(t), `PERFORM question_text FROM `+pgx.Identifier{b.Schema, "polls_question"}.Sanitize()+`;`)

	resp, body := a.vote(t, srv)
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
	if votes := a.votes(t); votes != 0 {
		t.Fatalf("the refused vote was counted: %d votes, want 0", votes)
	}
}
