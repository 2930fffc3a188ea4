package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/config"
)

// accessLines counts the access log's lines with status in logs.
func accessLines(logs string, status int) int {
	n := 0
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, " msg=request ") && strings.Contains(line, " status="+strconv.Itoa(status)+" ") {
			n++
		}
	}
	return n
}

// requestLogServer serves with log.requests set to mode and, when rate is
// not 0, tenancy.rate_limit.
func requestLogServer(t *testing.T, mode string, rate float64) (*apptest.Server, apptest.Tenant, *http.Client) {
	t.Helper()
	srv := apptest.NewServerWith(t, apptest.Options{Config: func(c *config.Config) {
		c.Log.Requests = mode
		c.Tenancy.RateLimit = rate
	}})
	tn := apptest.NewTenant(t)
	tn.AddQuestion(t, 1, "Logged?", "-1 hour", apptest.Choice{Text: "yes"})
	return srv, tn, srv.Client(t)
}

// forbiddenVote posts a vote without a CSRF token: a 403, an error worth a line.
func forbiddenVote(t *testing.T, c *http.Client, tn apptest.Tenant) {
	t.Helper()
	if resp, _ := apptest.Post(t, c, tn.Domain, "/polls/1/vote/", url.Values{"choice": {"1"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("vote without a CSRF token: got %d, want 403", resp.StatusCode)
	}
}

func TestRequestLogAllByDefault(t *testing.T) {
	srv, tn, c := requestLogServer(t, config.Default().Log.Requests, 0)
	for range 3 {
		apptest.Get(t, c, tn.Domain, "/polls/")
	}
	forbiddenVote(t, c, tn)
	srv.Logs.WaitFor(t, "status=403", 5*time.Second)
	if got := accessLines(srv.Logs.String(), 200); got != 3 {
		t.Fatalf("got %d access lines for 3 pages, want 3:\n%s", got, srv.Logs)
	}
}

// TestRequestLogOff: no access line at all, while a limit acting still logs
// its own line.
func TestRequestLogOff(t *testing.T) {
	srv, tn, c := requestLogServer(t, "off", 0.01)
	if status, _ := apptest.Get(t, c, tn.Domain, "/polls/"); status != http.StatusOK {
		t.Fatalf("got %d, want 200", status)
	}
	if status, _ := apptest.Get(t, c, tn.Domain, "/polls/"); status != http.StatusTooManyRequests {
		t.Fatalf("over the rate: got %d, want 429", status)
	}
	srv.Logs.WaitFor(t, `level=WARN msg="request refused: tenant over tenancy.rate_limit`, 5*time.Second)
	if logs := srv.Logs.String(); strings.Contains(logs, " msg=request ") {
		t.Fatalf("log.requests off wrote access lines:\n%s", logs)
	}
}

// TestRequestLogOffStillLogsFailures: a request that fails (its tenant's
// table gone) still gets its ERROR line with the access log off.
func TestRequestLogOffStillLogsFailures(t *testing.T) {
	srv, tn, c := requestLogServer(t, "off", 0)
	tn.Exec(t, "DROP TABLE polls_choice")
	if status, _ := apptest.Get(t, c, tn.Domain, "/polls/1/"); status != http.StatusInternalServerError {
		t.Fatalf("a page whose table is gone: got %d, want 500", status)
	}
	srv.Logs.WaitFor(t, `level=ERROR msg="request failed"`, 5*time.Second)
	if logs := srv.Logs.String(); strings.Contains(logs, " msg=request ") {
		t.Fatalf("log.requests off wrote access lines:\n%s", logs)
	}
}

// TestRequestLogErrors: lines for errors and refusals only, not for pages
// served nor for pages that do not exist.
func TestRequestLogErrors(t *testing.T) {
	srv, tn, c := requestLogServer(t, "errors", 0)
	apptest.Get(t, c, tn.Domain, "/polls/")
	apptest.Get(t, c, tn.Domain, "/polls/99/")
	forbiddenVote(t, c, tn)
	srv.Logs.WaitFor(t, "status=403", 5*time.Second)
	logs := srv.Logs.String()
	if accessLines(logs, 200) != 0 || accessLines(logs, 404) != 0 || accessLines(logs, 403) != 1 {
		t.Fatalf("log.requests errors: want only the 403's access line:\n%s", logs)
	}
}

// TestRequestLogSampled: sample:N logs exactly every N-th request, and
// every error besides.
func TestRequestLogSampled(t *testing.T) {
	const n, rounds = 4, 3
	srv, tn, c := requestLogServer(t, "sample:4", 0)
	for range n * rounds {
		if status, _ := apptest.Get(t, c, tn.Domain, "/polls/"); status != http.StatusOK {
			t.Fatalf("got %d, want 200", status)
		}
	}
	forbiddenVote(t, c, tn) // request 13: not a multiple of 4, logged as an error
	srv.Logs.WaitFor(t, "status=403", 5*time.Second)
	logs := srv.Logs.String()
	if got := accessLines(logs, 200); got != rounds {
		t.Fatalf("sample:%d over %d pages: got %d access lines, want %d:\n%s", n, n*rounds, got, rounds, logs)
	}
	if got := accessLines(logs, 403); got != 1 {
		t.Fatalf("sample:%d: the 403 got %d access lines, want 1:\n%s", n, got, logs)
	}
}
