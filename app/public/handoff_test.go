package public_test

import (
	"net/http"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/auth"
)

// signUp signs up sub and returns the handoff path (on sub's host).
func signUp(t *testing.T, srv *apptest.Server, sub string) string {
	t.Helper()
	resp, body := postSignup(t, srv.Client(t), validForm(sub))
	prefix := "http://" + sub + ".localhost:8080"
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, prefix+"/admin/handoff/") {
		t.Fatalf("sign-up of %s: got %d to %q:\n%s", sub, resp.StatusCode, loc, body)
	}
	return strings.TrimPrefix(loc, prefix)
}

// handoff follows a handoff path on host with a fresh browser and reports
// whether it ended logged in there.
func handoff(t *testing.T, srv *apptest.Server, host, path string) bool {
	t.Helper()
	c := srv.Client(t)
	resp, body := apptest.Do(t, c, apptest.NewRequest(t, http.MethodGet, host, path, nil))
	switch {
	case resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == "/admin/":
		status, _ := apptest.Get(t, c, host, "/admin/")
		return status == http.StatusOK
	case resp.StatusCode == http.StatusOK && strings.Contains(body, "expired or was already used"):
		for _, ck := range resp.Cookies() {
			if ck.Name == auth.CookieName && ck.MaxAge >= 0 {
				t.Errorf("a refused handoff set a session cookie")
			}
		}
		return false
	}
	t.Fatalf("handoff %s%s: got %d to %q, want a login or the refusal:\n%s", host, path, resp.StatusCode, resp.Header.Get("Location"), body)
	return false
}

// A handoff token belongs to the site it was made for: on another site's
// host it is unknown (that site's sessions are in its own schema), and
// stays usable where it belongs.
func TestHandoffWorksOnItsOwnHostOnly(t *testing.T) {
	srv := newSignupServer(t)
	a, b := newSubdomain(t), newSubdomain(t)
	pathA := signUp(t, srv, a)
	signUp(t, srv, b)
	if handoff(t, srv, b+".localhost:8080", pathA) {
		t.Fatal("a's handoff token logged in on b's site")
	}
	if !handoff(t, srv, a+".localhost:8080", pathA) {
		t.Fatal("a's handoff token, refused on b, no longer works on a")
	}
}

// A handoff token lives auth.HandoffTTL: past it, it logs nobody in.
func TestHandoffExpires(t *testing.T) {
	srv := newSignupServer(t)
	sub := newSubdomain(t)
	path := signUp(t, srv, sub)
	var ttl float64
	err := apptest.DB(t).SQL.QueryRow(`SELECT extract(epoch FROM expire_date - created_at) FROM ` + sub + `.django_session`).Scan(&ttl)
	if err != nil || ttl > 60 {
		t.Fatalf("the handoff session lives %vs (%v), want at most 60", ttl, err)
	}
	if _, err := apptest.DB(t).SQL.Exec(`UPDATE ` + sub + `.django_session SET expire_date = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if handoff(t, srv, sub+".localhost:8080", path) {
		t.Fatal("an expired handoff token logged in")
	}
	for _, bad := range []string{"/admin/handoff/", "/admin/handoff/?token=x", "/admin/handoff/?token=" + strings.Repeat("A", 43)} {
		if handoff(t, srv, sub+".localhost:8080", bad) {
			t.Fatalf("%s logged in", bad)
		}
	}
}

// Two browsers racing with one handoff token: exactly one is logged in.
func TestHandoffIsTakenOnceEvenRaced(t *testing.T) {
	srv := newSignupServer(t)
	sub := newSubdomain(t)
	path := signUp(t, srv, sub)
	const n = 4
	type answer struct {
		status   int
		location string
		err      error
	}
	answers := make(chan answer, n)
	start := make(chan struct{})
	for range n {
		c := srv.Client(t)
		req := apptest.NewRequest(t, http.MethodGet, sub+".localhost:8080", path, nil)
		go func() { // no t.Fatal off the test's goroutine: the answer is judged below
			<-start
			resp, err := c.Do(req)
			if err != nil {
				answers <- answer{err: err}
				return
			}
			resp.Body.Close()
			answers <- answer{status: resp.StatusCode, location: resp.Header.Get("Location")}
		}()
	}
	close(start)
	logins := 0
	for range n {
		a := <-answers
		switch {
		case a.err != nil:
			t.Fatal(a.err)
		case a.status == http.StatusSeeOther && a.location == "/admin/":
			logins++
		case a.status != http.StatusOK:
			t.Errorf("a racing use: got %d to %q, want the login or the refusal", a.status, a.location)
		}
	}
	if logins != 1 {
		t.Fatalf("%d of %d racing uses of one handoff token logged in, want 1", logins, n)
	}
}
