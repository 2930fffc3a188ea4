package web_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/database"
	"polls/internal/pgbouncer"
)

// loadTenant is one tenant under load, with its question and choice ids.
type loadTenant struct {
	apptest.Tenant
	client   *http.Client
	token    string
	question int64
	choices  []int64
	marker   string
	accepted []atomic.Int64 // votes the server confirmed, per choice
}

// loadFigures is what a run measured.
type loadFigures struct {
	requests, errors, crossTenant, lostVotes int64
	duration                                 time.Duration
	statuses                                 sync.Map // status of each error -> *atomic.Int64
}

// errorStatuses says which statuses the errors were, for the failure message.
func (f *loadFigures) errorStatuses() string {
	var parts []string
	f.statuses.Range(func(k, v any) bool {
		parts = append(parts, fmt.Sprintf("%v: %d", k, v.(*atomic.Int64).Load()))
		return true
	})
	return strings.Join(parts, ", ")
}

// runMixedLoad sends requests requests from workers goroutines, each to a
// random tenant: index, detail and results pages and votes. Every page must
// be its own tenant's; every confirmed vote must be in the database.
func runMixedLoad(t *testing.T, srv *apptest.Server, tenants []*loadTenant, workers, requests int) *loadFigures {
	t.Helper()
	fig := &loadFigures{}
	var sent atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for sent.Add(1) <= int64(requests) {
				lt := tenants[rng.IntN(len(tenants))]
				status, body, vote := loadRequest(lt, rng)
				atomic.AddInt64(&fig.requests, 1)
				// Every vote sent names a real choice: it must be counted and
				// answered 303. Anything else (even the form again, 200) is an error.
				switch {
				case vote >= 0 && status == http.StatusSeeOther:
					lt.accepted[vote].Add(1)
				case vote >= 0 || status != http.StatusOK:
					atomic.AddInt64(&fig.errors, 1)
					n, _ := fig.statuses.LoadOrStore(status, new(atomic.Int64))
					n.(*atomic.Int64).Add(1)
					continue
				}
				for _, other := range tenants {
					if other != lt && strings.Contains(body, other.marker) {
						atomic.AddInt64(&fig.crossTenant, 1)
					}
				}
				if vote < 0 && !strings.Contains(body, lt.marker) {
					atomic.AddInt64(&fig.crossTenant, 1)
				}
			}
		}()
	}
	wg.Wait()
	fig.duration = time.Since(start)
	for _, lt := range tenants {
		for i, id := range lt.choices {
			var votes int64
			lt.Scan(t, &votes, `SELECT votes FROM polls_choice WHERE id = ?`, id)
			fig.lostVotes += lt.accepted[i].Load() - votes
			if votes != lt.accepted[i].Load() {
				t.Errorf("%s choice %d: %d votes in the database, %d accepted", lt.Schema, id, votes, lt.accepted[i].Load())
			}
		}
	}
	return fig
}

// loadRequest sends one request; vote is the choice index voted for, or -1.
func loadRequest(lt *loadTenant, rng *rand.Rand) (status int, body string, vote int) {
	base := fmt.Sprintf("http://%s/polls/", lt.Domain)
	var resp *http.Response
	var err error
	vote = -1
	switch rng.IntN(4) {
	case 0:
		resp, err = lt.client.Get(base)
	case 1:
		resp, err = lt.client.Get(fmt.Sprintf("%s%d/", base, lt.question))
	case 2:
		resp, err = lt.client.Get(fmt.Sprintf("%s%d/results/", base, lt.question))
	default:
		vote = rng.IntN(len(lt.choices))
		resp, err = lt.client.PostForm(fmt.Sprintf("%s%d/vote/", base, lt.question), url.Values{
			"choice": {fmt.Sprint(lt.choices[vote])}, "csrfmiddlewaretoken": {lt.token}})
	}
	if err != nil {
		return 0, "", vote
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), vote
}

// newLoadTenants makes n tenants, each with one question and three choices
// whose texts carry a marker unique to the tenant.
func newLoadTenants(t *testing.T, srv *apptest.Server, n int) []*loadTenant {
	t.Helper()
	var out []*loadTenant
	for range n {
		tn := apptest.NewTenant(t)
		lt := &loadTenant{Tenant: tn, client: srv.Client(t), marker: "marker-" + tn.Schema, accepted: make([]atomic.Int64, 3)}
		tn.Exec(t, `INSERT INTO polls_question (question_text, pub_date) VALUES (?, now() - interval '1 hour')`, "Question "+lt.marker)
		tn.Scan(t, &lt.question, `SELECT id FROM polls_question`)
		for i := range 3 {
			tn.Exec(t, `INSERT INTO polls_choice (question_id, choice_text) VALUES (?, ?)`, lt.question, fmt.Sprintf("choice %d of %s", i, lt.marker))
		}
		tn.Scan(t, &lt.choices, `SELECT id FROM polls_choice ORDER BY id`)
		if len(lt.choices) != 3 {
			t.Fatalf("%s: got %d choices, want 3", tn.Schema, len(lt.choices))
		}
		lt.token = apptest.CSRF(t, lt.client, tn.Domain, "/polls/")
		out = append(out, lt)
	}
	return out
}

// checkMixedLoad runs the mixed load on srv (8 new tenants, 32 workers, 4000
// requests), logs its figures under label, and fails the test on any error,
// cross-tenant page or lost vote.
func checkMixedLoad(t *testing.T, srv *apptest.Server, label string) {
	t.Helper()
	fig := runMixedLoad(t, srv, newLoadTenants(t, srv, 8), 32, 4000)
	t.Logf("%s: %d requests in %v (%.0f/s), %d errors, %d cross-tenant pages, %d lost votes", label,
		fig.requests, fig.duration.Round(time.Millisecond), float64(fig.requests)/fig.duration.Seconds(), fig.errors, fig.crossTenant, fig.lostVotes)
	if fig.errors != 0 || fig.crossTenant != 0 || fig.lostVotes != 0 {
		t.Fatalf("got %d errors (statuses %s), %d cross-tenant pages, %d lost votes; want none", fig.errors, fig.errorStatuses(), fig.crossTenant, fig.lostVotes)
	}
}

func TestIsolationUnderConcurrentMixedLoad(t *testing.T) {
	checkMixedLoad(t, apptest.NewServer(t), "direct")
}

func TestIsolationUnderConcurrentMixedLoadThroughPgBouncer(t *testing.T) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "polls-pgbouncer-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755) // PgBouncer runs as the server's account when tests run as root
	pgb, err := pgbouncer.Start(ctx, dir, apptest.URL(t), 10)
	if err != nil {
		t.Fatalf("PgBouncer is needed for this test (%s): %v", pgbouncer.Install, err)
	}
	t.Cleanup(pgb.Stop)
	db, err := database.Open(ctx, database.ForTransactionPooler(pgb.URL), 40)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.URL = apptest.URL(t) // LISTEN needs a session of its own: PostgreSQL itself
	checkMixedLoad(t, apptest.NewServerOn(t, db), "through PgBouncer (transaction mode, 10 server connections for 40 client ones)")
}
