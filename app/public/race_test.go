package public_test

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"polls/app/apptest"
)

// Concurrent sign-ups for one subdomain: one wins, every other gets the
// form back with the taken message, and exactly one tenant, schema and
// superuser exist.
func TestConcurrentSignupsForOneSubdomain(t *testing.T) {
	srv := newSignupServer(t)
	sub := newSubdomain(t)
	const n = 4
	type result struct {
		status int
		body   string
		err    error
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range results {
		c := srv.Client(t)
		form := validForm(sub)
		form.Set("csrfmiddlewaretoken", apptest.CSRF(t, c, mainHost, "/"))
		req := apptest.NewRequest(t, http.MethodPost, mainHost, "/signup/", form)
		wg.Add(1)
		go func() { // no t.Fatal off the test's goroutine: the results are judged below
			defer wg.Done()
			<-start
			resp, err := c.Do(req)
			if err != nil {
				results[i] = result{err: err}
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			results[i] = result{resp.StatusCode, string(b), err}
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for i, r := range results {
		switch {
		case r.err != nil:
			t.Fatalf("sign-up %d: %v", i, r.err)
		case r.status == http.StatusSeeOther:
			won++
		case r.status == http.StatusOK && strings.Contains(r.body, msgTaken):
		default:
			t.Errorf("sign-up %d: got %d, want 303 or the form with %q:\n%s", i, r.status, msgTaken, r.body)
		}
	}
	if won != 1 {
		t.Fatalf("%d of %d concurrent sign-ups for %s won, want exactly 1", won, n, sub)
	}
	rows, schemas := created(t, sub)
	if rows != 1 || schemas != 1 {
		t.Fatalf("after the race: %d registry rows and %d schemas, want 1 and 1", rows, schemas)
	}
	var users int
	if err := apptest.DB(t).SQL.QueryRow(`SELECT count(*) FROM ` + sub + `.auth_user`).Scan(&users); err != nil || users != 1 {
		t.Fatalf("the winner's tenant has %d users (%v), want 1", users, err)
	}
}
