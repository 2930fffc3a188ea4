package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
)

// ballot is a tenant with one question and one choice to vote for.
type ballot struct {
	apptest.Tenant
	question, choice int64
}

// newBallot gives tn a question with one choice, and a trigger on its
// choices that runs body (PL/pgSQL, may be empty) whenever a vote updates
// one: the trigger runs with the rights of whoever sends the UPDATE, so it
// sees the request's own role.
func newBallot(t *testing.T, tn apptest.Tenant, body string) ballot {
	t.Helper()
	b := ballot{Tenant: tn}
	tn.Exec(t, `INSERT INTO polls_question (question_text, pub_date) VALUES ('Who votes?', now() - interval '1 hour')`)
	tn.Scan(t, &b.question, `SELECT id FROM polls_question`)
	tn.Exec(t, `INSERT INTO polls_choice (question_id, choice_text) VALUES (?, 'nobody yet')`, b.question)
	tn.Scan(t, &b.choice, `SELECT id FROM polls_choice`)
	tn.Exec(t, `CREATE FUNCTION on_vote() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN `+body+` RETURN NEW; END $$`)
	tn.Exec(t, `CREATE TRIGGER on_vote BEFORE UPDATE ON polls_choice FOR EACH ROW EXECUTE FUNCTION on_vote()`)
	return b
}

// voter returns a function that sends one vote as a browser of client
// (which then holds the CSRF cookie) would; it may run in any goroutine.
func (b ballot) voter(t *testing.T, client *http.Client) func() (*http.Response, error) {
	t.Helper()
	form := url.Values{"choice": {fmt.Sprint(b.choice)}, "csrfmiddlewaretoken": {apptest.CSRF(t, client, b.Domain, "/polls/")}}
	target := fmt.Sprintf("http://%s/polls/%d/vote/", b.Domain, b.question)
	return func() (*http.Response, error) { return client.PostForm(target, form) }
}

// vote sends one vote from a new browser and returns the answer, body read.
func (b ballot) vote(t *testing.T, srv *apptest.Server) (*http.Response, string) {
	t.Helper()
	client := srv.Client(t)
	token := apptest.CSRF(t, client, b.Domain, "/polls/")
	return apptest.Post(t, client, b.Domain, fmt.Sprintf("/polls/%d/vote/", b.question),
		url.Values{"choice": {fmt.Sprint(b.choice)}, "csrfmiddlewaretoken": {token}})
}

// votes is the choice's count in the database.
func (b ballot) votes(t *testing.T) int {
	t.Helper()
	var n int
	b.Scan(t, &n, `SELECT votes FROM polls_choice WHERE id = ?`, b.choice)
	return n
}

// lockTable holds tn's polls_choice locked, as another program might, until
// the returned function is called (or the test ends).
func lockTable(t *testing.T, tn apptest.Tenant) (release func()) {
	t.Helper()
	ctx := context.Background()
	lock, err := apptest.DB(t).SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lock.Rollback() })
	if _, err := lock.ExecContext(ctx, `LOCK TABLE `+pgx.Identifier{tn.Schema, "polls_choice"}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := lock.Rollback(); err != nil {
			t.Fatal(err)
		}
	}
}

// hammer sends requests from many goroutines until stopped, counting the
// answers' statuses.
type hammer struct {
	quit chan struct{}
	wg   sync.WaitGroup

	mu       sync.Mutex
	statuses map[int]int
}

// startHammer runs send in n goroutines, each again as soon as it is
// answered; seen, when not nil, is told every status as it comes.
func startHammer(t *testing.T, n int, send func() (*http.Response, error), seen func(status int)) *hammer {
	h := &hammer{quit: make(chan struct{}), statuses: map[int]int{}}
	for range n {
		h.wg.Go(func() {
			for {
				select {
				case <-h.quit:
					return
				default:
				}
				resp, err := send()
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "" {
					t.Error("a 503 without Retry-After")
				}
				h.mu.Lock()
				h.statuses[resp.StatusCode]++
				h.mu.Unlock()
				if seen != nil {
					seen(resp.StatusCode)
				}
			}
		})
	}
	return h
}

// stop stops the goroutines, waits for them, and returns the statuses seen.
func (h *hammer) stop() map[int]int {
	close(h.quit)
	h.wg.Wait()
	return h.statuses
}
