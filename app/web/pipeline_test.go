package web_test

import (
	"net/http"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/database"
)

// TestPipelineScopeOffCostsOneRoundTrip serves the index in both positions of
// database.pipeline_scope, whatever the run's own: on, the transaction's
// opening statements travel with its query (query, COMMIT); off, they are an
// ordinary statement of their own, so a position that silently held them
// would be caught here.
func TestPipelineScopeOffCostsOneRoundTrip(t *testing.T) {
	tn := apptest.NewTenant(t)
	tn.Exec(t, `INSERT INTO polls_question (question_text, pub_date) VALUES ('Counted?', now() - interval '1 hour')`)
	for _, c := range []struct {
		pipeline   bool
		roundTrips int64
	}{{true, 2}, {false, 3}} {
		o := database.Defaults(2)
		o.PipelineScope = c.pipeline
		db, writes := apptest.CountedDBWith(t, o)
		client := apptest.NewServerOn(t, db).Client(t)
		apptest.Get(t, client, tn.Domain, "/polls/") // pgx prepares the query once per connection
		before := writes.Load()
		if status, body := apptest.Get(t, client, tn.Domain, "/polls/"); status != http.StatusOK || !strings.Contains(body, "Counted?") {
			t.Fatalf("pipeline_scope %v: got %d, want 200 with the question", c.pipeline, status)
		}
		if n := writes.Load() - before; n != c.roundTrips {
			t.Errorf("pipeline_scope %v: the index took %d round trips, want %d", c.pipeline, n, c.roundTrips)
		}
	}
}
