package web_test

import (
	"net/http"
	"strings"
	"testing"

	"polls/app/apptest"
)

// TestFailedCommitGivesAnErrorPageNotSuccess: a vote whose handler succeeded
// but whose COMMIT fails (a deferred constraint trigger raising only then)
// gets the error page, none of the success response's headers, and no vote.
func TestFailedCommitGivesAnErrorPageNotSuccess(t *testing.T) {
	srv := apptest.NewServer(t)
	a := newBallot(t, apptest.NewTenant(t), ``)
	a.Exec(t, `CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'refused at commit'; END $$`)
	a.Exec(t, `CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER UPDATE ON polls_choice
		DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_at_commit()`)

	resp, body := a.vote(t, srv)
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "Something went wrong on our side") {
		t.Fatalf("got %d, want the 500 page: the commit failed\n%s", resp.StatusCode, body)
	}
	if loc := resp.Header.Get("Location"); loc != "" {
		t.Fatalf("the discarded success response's Location %q was sent", loc)
	}
	if votes := a.votes(t); votes != 0 {
		t.Fatalf("got %d votes after the failed commit, want 0", votes)
	}
}

// TestSuccessIsCommittedAndSent: the same vote without the trigger is kept
// and answered with the redirect to the results.
func TestSuccessIsCommittedAndSent(t *testing.T) {
	srv := apptest.NewServer(t)
	a := newBallot(t, apptest.NewTenant(t), ``)
	resp, _ := a.vote(t, srv)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "/results/") {
		t.Fatalf("got %d to %q, want 303 to the results", resp.StatusCode, resp.Header.Get("Location"))
	}
	if votes := a.votes(t); votes != 1 {
		t.Fatalf("got %d votes, want 1", votes)
	}
}
