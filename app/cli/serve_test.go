package cli_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/cli"
)

// startServe runs `polls serve` in-process on a free port and returns its
// address and a function that stops it (as SIGTERM would) and waits for it.
func startServe(t *testing.T) (addr string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: pw, Stderr: io.Discard,
		Getenv: func(k string) string {
			if k == "POLLS_DATABASE_URL" {
				return apptest.URL(t)
			}
			return ""
		}}
	done := make(chan error, 1)
	go func() {
		err := cli.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, env)
		pw.Close()
		done <- err
	}()
	listening := regexp.MustCompile(`listening on http://([0-9.:]+)/`)
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if addr == "" {
		cancel()
		t.Fatalf("serve did not start: %v", <-done)
	}
	return addr, func() error { cancel(); return <-done }
}

func TestServeFinishesInFlightRequestsOnShutdown(t *testing.T) {
	tn := apptest.NewTenant(t)
	addr, stop := startServe(t)

	// A request whose body is still to be sent when the shutdown starts. With
	// "Expect: 100-continue" the server says "100 Continue" when a handler
	// first reads the body: then the request is inside the handler chain.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "csrfmiddlewaretoken=x"
	fmt.Fprintf(conn, "POST /polls/1/vote/ HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
		tn.Domain, len(body))
	fromServer := bufio.NewReader(conn)
	cont, err := http.ReadResponse(fromServer, nil)
	if err != nil || cont.StatusCode != http.StatusContinue {
		t.Fatalf("waiting for the handler to read the body: got %v, %v; want 100 Continue", cont, err)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()

	// New connections are refused once shutdown has begun.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("serve still accepts connections 5s after shutdown began")
		}
		time.Sleep(10 * time.Millisecond) // polling for the listener to close, bounded above
	}
	select {
	case err := <-stopped:
		t.Fatalf("serve returned (%v) before the in-flight request finished", err)
	default:
	}
	fmt.Fprint(conn, body)
	resp, err := http.ReadResponse(fromServer, nil)
	if err != nil {
		t.Fatalf("in-flight request got no response: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden { // no CSRF cookie: a complete, ordinary answer
		t.Fatalf("in-flight request got %d, want the page's normal 403", resp.StatusCode)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("serve returned %v after a graceful shutdown, want nil", err)
	}
}

func TestServeAnswersHealthAndReadiness(t *testing.T) {
	addr, stop := startServe(t)
	defer stop()
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s on a bare IP host: got %d, want 200", path, resp.StatusCode)
		}
	}
}
