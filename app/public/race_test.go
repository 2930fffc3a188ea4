package public_test

import (
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
	clients := make([]*http.Client, n)
	for i := range clients {
		clients[i] = srv.Client(t)
		apptest.CSRF(t, clients[i], mainHost, "/")
	}
	type result struct {
		status int
		body   string
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range clients {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			resp, body := postSignup(t, clients[i], validForm(sub))
			results[i] = result{resp.StatusCode, body}
		}(i)
	}
	close(start)
	wg.Wait()
	won := 0
	for i, r := range results {
		switch {
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
