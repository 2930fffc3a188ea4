package cli_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/cli"
)

// startServe runs `polls serve [flags...]` in-process on a free port and
// returns its address and a function that stops it (as SIGTERM would) and
// waits for it; what it logs goes to logs, when not nil.
func startServe(t *testing.T, logs io.Writer, flags ...string) (addr string, stop func() error) {
	t.Helper()
	addr, _, stop = startServePrinting(t, logs, flags...)
	return addr, stop
}

// startServePrinting is startServe, also returning the lines serve printed
// up to where it listens.
func startServePrinting(t *testing.T, logs io.Writer, flags ...string) (addr string, printed []string, stop func() error) {
	t.Helper()
	return startServeEnv(t, nil, logs, flags...)
}

// startServeEnv is startServePrinting with extraEnv added to polls'
// environment (as run's).
func startServeEnv(t *testing.T, extraEnv map[string]string, logs io.Writer, flags ...string) (addr string, printed []string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	if logs == nil {
		logs = io.Discard
	}
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: pw, Stderr: logs, Getenv: getenv(t, extraEnv)}
	done := make(chan error, 1)
	go func() {
		err := cli.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, flags...), env)
		pw.Close()
		done <- err
	}()
	listening := regexp.MustCompile(`listening on http://([0-9.:]+)/`)
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		printed = append(printed, sc.Text())
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
	return addr, printed, func() error { cancel(); return <-done }
}

func TestServeFinishesInFlightRequestsOnShutdown(t *testing.T) {
	tn := apptest.NewTenant(t)
	addr, stop := startServe(t, nil)

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
	addr, stop := startServe(t, nil)
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

// TestServeWarnsWhenThePoolCannotFit: a pool larger than what PostgreSQL's
// max_connections leaves is said at start, naming the setting to change; a
// pool that fits is not.
func TestServeWarnsWhenThePoolCannotFit(t *testing.T) {
	for _, tt := range []struct {
		maxConns int
		warned   bool
	}{{1000, true}, {20, false}} {
		t.Run(fmt.Sprint(tt.maxConns), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(path, []byte(fmt.Sprintf("database:\n  max_conns: %d\n", tt.maxConns)), 0o644); err != nil {
				t.Fatal(err)
			}
			logs := &apptest.Logs{}
			_, stop := startServe(t, logs, "--config", path)
			if err := stop(); err != nil {
				t.Fatal(err)
			}
			warned := strings.Contains(logs.String(), "lower database.max_conns or raise max_connections")
			if warned != tt.warned {
				t.Fatalf("max_conns %d: warned %v, want %v; log:\n%s", tt.maxConns, warned, tt.warned, logs.String())
			}
		})
	}
}
