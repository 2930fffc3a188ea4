package web_test

import (
	"net/http"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/database"
)

// TestEachPipelineSwitchCostsOneRoundTrip serves the index in all four
// positions of database.pipeline_scope and database.commit_behind, whatever
// the run's own: with both on, the opening statements travel with the query
// and the read-only page's COMMIT with the next request's first write (one
// round trip); each switch turned off costs one more (an ordinary statement
// of its own; a COMMIT waited for), so a position that silently held its
// statements would be caught here.
func TestEachPipelineSwitchCostsOneRoundTrip(t *testing.T) {
	tn := apptest.NewTenant(t)
	tn.Exec(t, `INSERT INTO polls_question (question_text, pub_date) VALUES ('Counted?', now() - interval '1 hour')`)
	for _, c := range []struct {
		pipeline, behind bool
		roundTrips       int64
	}{{true, true, 1}, {false, true, 2}, {true, false, 2}, {false, false, 3}} {
		o := database.Defaults(2)
		o.PipelineScope, o.CommitBehind = c.pipeline, c.behind
		db, writes := apptest.CountedDBWith(t, o)
		client := apptest.NewServerOn(t, db).Client(t)
		apptest.Get(t, client, tn.Domain, "/polls/") // pgx prepares the query once per connection
		before := writes.Load()
		if status, body := apptest.Get(t, client, tn.Domain, "/polls/"); status != http.StatusOK || !strings.Contains(body, "Counted?") {
			t.Fatalf("pipeline_scope %v, commit_behind %v: got %d, want 200 with the question", c.pipeline, c.behind, status)
		}
		if n := writes.Load() - before; n != c.roundTrips {
			t.Errorf("pipeline_scope %v, commit_behind %v: the index took %d round trips, want %d", c.pipeline, c.behind, n, c.roundTrips)
		}
	}
}
