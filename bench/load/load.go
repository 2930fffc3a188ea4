// Package load is the benchmark's load generator: a fixed number of keep-alive
// HTTP/1.1 connections, each sending its next request as soon as the previous
// answer is read, for a fixed time, recording every latency. Requests are
// encoded once, before the clock starts, so the generator spends its share of
// the machine's two cores on sockets rather than on building requests. Debian's
// wrk can be used instead (see Wrk); both report the same Result.
package load

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Request is one kind of request the generator sends.
type Request struct {
	Method string // GET or POST
	Host   string // the Host header: picks the tenant
	Path   string
	Cookie string     // sent as the Cookie header when not empty
	Form   url.Values // POST body, form-encoded
	Want   int        // the status that counts as a success
}

// raw is the request as bytes on the wire.
func (r Request) raw() []byte {
	var b strings.Builder
	body := r.Form.Encode()
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: polls-bench\r\n", r.Method, r.Path, r.Host)
	if r.Cookie != "" {
		fmt.Fprintf(&b, "Cookie: %s\r\n", r.Cookie)
	}
	if r.Method == http.MethodPost {
		fmt.Fprintf(&b, "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n")
	if r.Method == http.MethodPost {
		b.WriteString(body)
	}
	return []byte(b.String())
}

// Config is one run.
type Config struct {
	Addr     string        // host:port to connect to, whatever the Host headers say
	Conns    int           // concurrent connections
	Duration time.Duration // how long to send
	Requests []Request     // sent in turn; connection i starts at request i
}

// Result is what a run measured.
type Result struct {
	Requests  int             // answered with the wanted status
	Errors    int             // wrong status, or a connection error
	Elapsed   time.Duration   // wall time of the run
	Latencies []time.Duration // of the successful requests, sorted; nil from wrk
	P50, P99  time.Duration
	FirstErr  string      // the first error seen, for the report
	Statuses  map[int]int // answers by status code, wanted or not; nil from wrk
}

// RPS is successful requests per second.
func (r Result) RPS() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

// Run sends cfg.Requests in turn over cfg.Conns connections for cfg.Duration.
func Run(ctx context.Context, cfg Config) (Result, error) {
	raws := make([][]byte, len(cfg.Requests))
	for i, r := range cfg.Requests {
		raws[i] = r.raw()
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	results := make([]Result, cfg.Conns)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range cfg.Conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[w] = worker(ctx, cfg, raws, w)
		}()
	}
	wg.Wait()
	total := Result{Elapsed: time.Since(start)}
	for _, r := range results {
		total.Requests += r.Requests
		total.Errors += r.Errors
		total.Latencies = append(total.Latencies, r.Latencies...)
		for code, n := range r.Statuses {
			if total.Statuses == nil {
				total.Statuses = map[int]int{}
			}
			total.Statuses[code] += n
		}
		if total.FirstErr == "" {
			total.FirstErr = r.FirstErr
		}
	}
	slices.Sort(total.Latencies)
	total.P50, total.P99 = percentile(total.Latencies, 0.50), percentile(total.Latencies, 0.99)
	if total.Requests == 0 {
		return total, fmt.Errorf("no request succeeded on %s: %s", cfg.Addr, total.FirstErr)
	}
	return total, nil
}

// worker drives one connection, reconnecting after an error.
func worker(ctx context.Context, cfg Config, raws [][]byte, w int) Result {
	res := Result{Latencies: make([]time.Duration, 0, 1<<14), Statuses: map[int]int{}}
	fail := func(msg string) {
		res.Errors++
		if res.FirstErr == "" {
			res.FirstErr = msg
		}
	}
	var conn net.Conn
	var br *bufio.Reader
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	deadline, _ := ctx.Deadline()
	for i := w; ctx.Err() == nil; i += cfg.Conns {
		if conn == nil {
			c, err := net.Dial("tcp", cfg.Addr)
			if err != nil {
				fail(err.Error())
				time.Sleep(10 * time.Millisecond)
				continue
			}
			c.SetDeadline(deadline) // a request in flight when the run ends is abandoned
			conn, br = c, bufio.NewReaderSize(c, 64<<10)
		}
		req := cfg.Requests[i%len(raws)]
		t0 := time.Now()
		status, err := roundTrip(conn, br, raws[i%len(raws)])
		if ctx.Err() != nil || !time.Now().Before(deadline) {
			break // the run ended mid-request: neither a success nor an error
		}
		if err == nil {
			res.Statuses[status]++
		}
		switch {
		case err != nil:
			fail(err.Error())
			conn.Close()
			conn = nil
		case status != req.Want:
			fail(fmt.Sprintf("%s %s%s: status %d, want %d", req.Method, req.Host, req.Path, status, req.Want))
		default:
			res.Requests++
			res.Latencies = append(res.Latencies, time.Since(t0))
		}
	}
	return res
}

func roundTrip(conn net.Conn, br *bufio.Reader, raw []byte) (int, error) {
	if _, err := conn.Write(raw); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && resp.Close {
		err = fmt.Errorf("server closed the connection")
	}
	return resp.StatusCode, err
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}
