package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"polls/app/apptest"
)

// TestPagesMakeNoAvoidableRoundTrip counts what each public page writes to
// PostgreSQL. The tenant comes from memory and the transaction's opening
// statements travel with its first query, so a page is its one query plus
// COMMIT, a read-only page's COMMIT rides in front of the next request's
// first write (database.commit_behind), a vote's COMMIT rides behind its one
// statement (tenant.CommitNext); a request refused before any query sends
// nothing at all.
func TestPagesMakeNoAvoidableRoundTrip(t *testing.T) {
	tn := apptest.NewTenant(t)
	tn.Exec(t, `INSERT INTO polls_question (id, question_text, pub_date) VALUES (1, 'Counted?', now() - interval '1 hour');
		INSERT INTO polls_choice (id, question_id, choice_text, votes) VALUES (1, 1, 'Yes', 0)`)
	db, writes := apptest.CountedDB(t)
	c := apptest.NewServerOn(t, db).Client(t)
	token := apptest.CSRF(t, c, tn.Domain, "/polls/")

	vote := url.Values{"csrfmiddlewaretoken": {token}, "choice": {"1"}}
	// A transaction costs its queries plus COMMIT, and one round trip more
	// for its opening statements when database.pipeline_scope is off
	// (POLLS_TEST_PIPELINE_SCOPE=off).
	tx := int64(2)
	if !apptest.PipelineScope() {
		tx = 3
	}
	read := tx
	if apptest.CommitBehind() {
		read-- // the COMMIT rides with the next request's first write
	}
	write := int64(1) // the statement with BEGIN in front and COMMIT behind
	if !apptest.PipelineScope() {
		write = tx
	}
	pages := []struct {
		method, path string
		status       int
		roundTrips   int64
	}{
		{http.MethodGet, "/polls/", http.StatusOK, read},
		{http.MethodGet, "/polls/1/", http.StatusOK, read},
		{http.MethodGet, "/polls/1/results/", http.StatusOK, read},
		{http.MethodPost, "/polls/1/vote/", http.StatusSeeOther, write},
		{http.MethodGet, "/polls/abc/", http.StatusNotFound, 0},
	}
	serve := func(method, path string) int {
		if method == http.MethodPost {
			resp, _ := apptest.Post(t, c, tn.Domain, path, vote)
			return resp.StatusCode
		}
		status, _ := apptest.Get(t, c, tn.Domain, path)
		return status
	}
	for _, p := range pages {
		// The first time a connection meets a query, pgx prepares it: a round
		// trip once per connection, not per request.
		serve(p.method, p.path)
		before := writes.Load()
		if status := serve(p.method, p.path); status != p.status {
			t.Fatalf("%s %s: got %d, want %d", p.method, p.path, status, p.status)
		}
		if n := writes.Load() - before; n != p.roundTrips {
			t.Errorf("%s %s: %d round trips to PostgreSQL, want %d", p.method, p.path, n, p.roundTrips)
		}
	}
}
