package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"polls/bench/load"
)

// quietConns is the quiet tenant's load in -noisy: a few visitors, not a
// stampede, so its latency reflects its neighbour and not its own queue.
const quietConns = 4

// lockHeld is how long -noisy holds the hot tenant's table locked.
const lockHeld = 20 * time.Second

// noisy measures a quiet tenant's index alone, then while another tenant
// (hot) misbehaves in each way one tenant or client could stall the others:
// a stampede of votes, request bodies that never come, a table locked by
// another program. Figures only; every refusal the hot tenant gets is
// counted, the quiet tenant should get none.
func (e *benchEnv) noisy(ctx context.Context, pgURL string, hot, quiet benchTenant) error {
	quietLoad := []load.Request{{Method: http.MethodGet, Host: quiet.domain, Path: "/polls/",
		Cookie: "csrftoken=" + csrfCookie, Want: http.StatusOK}}
	var hotVotes []load.Request
	for q := 1; q <= hotQuestions; q++ {
		hotVotes = append(hotVotes, load.Request{Method: http.MethodPost, Host: hot.domain,
			Path: "/polls/" + strconv.Itoa(q) + "/vote/", Cookie: "csrftoken=" + csrfCookie, Want: http.StatusSeeOther,
			Form: url.Values{"choice": {strconv.Itoa((q-1)*choicesPerQuestion + 1)}, "csrfmiddlewaretoken": {csrfCookie}}})
	}
	addr := e.polls.addr
	e.r.printf("\nNoisy neighbours: %s's index (%d connections) while %s misbehaves; the other tenant's votes on %d connections\n",
		quiet.schema, quietConns, hot.schema, e.o.conns)
	e.r.printf("%-44s %9s %9s %9s %7s   %s\n", "while", "p50", "p99", "req/s", "errors", "hot tenant")

	if _, err := load.Run(ctx, load.Config{Addr: addr, Conns: quietConns, Duration: e.o.warmup, Requests: quietLoad}); err != nil {
		return fmt.Errorf("warm up: %w", err)
	}
	alone, err := load.Run(ctx, load.Config{Addr: addr, Conns: quietConns, Duration: e.o.duration, Requests: quietLoad})
	if err != nil {
		return err
	}
	e.noisyRow("alone", alone, nil)

	// The hot tenant's stampede, alongside the quiet tenant's load.
	withVotes := func(d time.Duration) (quietRes, hotRes load.Result, err error) {
		done := make(chan error, 1)
		go func() {
			var err error
			hotRes, err = load.Run(ctx, load.Config{Addr: addr, Conns: e.o.conns, Duration: d, Requests: hotVotes})
			done <- err
		}()
		quietRes, err = load.Run(ctx, load.Config{Addr: addr, Conns: quietConns, Duration: d, Requests: quietLoad})
		<-done // the hot tenant may get no vote through at all (a locked table): not an error here
		return quietRes, hotRes, err
	}
	q, h, err := withVotes(e.o.duration)
	if err != nil {
		return err
	}
	e.noisyRow(fmt.Sprintf("%d connections of votes", e.o.conns), q, &h)

	slow, err := slowBodies(addr, hot.domain, 40)
	if err != nil {
		return err
	}
	q, err = load.Run(ctx, load.Config{Addr: addr, Conns: quietConns, Duration: e.o.duration, Requests: quietLoad})
	for _, c := range slow {
		c.Close()
	}
	if err != nil {
		return err
	}
	e.noisyRow("40 request bodies that never come", q, nil)

	unlock, err := lockTable(ctx, pgURL, hot.schema)
	if err != nil {
		return err
	}
	q, h, err = withVotes(lockHeld)
	unlock()
	if err != nil {
		return err
	}
	e.noisyRow(fmt.Sprintf("%v lock on its polls_choice, and its votes", lockHeld), q, &h)
	return nil
}

func (e *benchEnv) noisyRow(what string, quiet load.Result, hot *load.Result) {
	other := ""
	if hot != nil {
		other = fmt.Sprintf("%.0f votes/s counted, %d refused (503 busy)", float64(hot.Requests)/hot.Elapsed.Seconds(), hot.Errors)
	}
	e.r.printf("%-44s %9s %9s %9.0f %7d   %s\n", what, ms(quiet.P50), ms(quiet.P99), quiet.RPS(), quiet.Errors, other)
	if quiet.FirstErr != "" {
		e.r.printf("         quiet tenant's first error: %s\n", quiet.FirstErr)
	}
}

// slowBodies opens n connections that send a vote's headers announcing a
// body of 100,000 bytes, and then nothing.
func slowBodies(addr, host string, n int) ([]net.Conn, error) {
	var conns []net.Conn
	for range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			for _, c := range conns {
				c.Close()
			}
			return nil, err
		}
		fmt.Fprintf(c, "POST /polls/1/vote/ HTTP/1.1\r\nHost: %s\r\nCookie: csrftoken=%s\r\n"+
			"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nchoice=1&", host, csrfCookie)
		conns = append(conns, c)
	}
	return conns, nil
}

// lockTable holds schema's polls_choice locked, as another program might,
// until the returned function is called.
func lockTable(ctx context.Context, pgURL, schema string) (func(), error) {
	conn, err := pgx.Connect(ctx, pgURL)
	if err != nil {
		return nil, err
	}
	tx, err := conn.Begin(ctx)
	if err == nil {
		_, err = tx.Exec(ctx, "LOCK TABLE "+pgx.Identifier{schema, "polls_choice"}.Sanitize())
	}
	if err != nil {
		conn.Close(ctx)
		return nil, fmt.Errorf("lock %s.polls_choice: %w", schema, err)
	}
	return func() {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		conn.Close(context.WithoutCancel(ctx))
	}, nil
}
