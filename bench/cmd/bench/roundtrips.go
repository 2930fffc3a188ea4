package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgconn"
)

// counter is a TCP proxy in front of the private server's unix socket that
// reads the PostgreSQL wire protocol going through it and counts messages.
// A round trip is the client sending while everything it sent before has
// been answered (the server's last message was a ReadyForQuery): the client
// then waits for the server. Messages sent together without waiting (a
// pipeline, or statements written in front of a query) are one round trip
// however many ReadyForQuery answers they get. The client's message types
// show what the round trips carried.
type counter struct {
	ln        net.Listener
	socket    string
	URL       string
	trips     atomic.Int64      // round trips begun by clients
	fromFront [256]atomic.Int64 // client messages by type byte
	wg        sync.WaitGroup
}

func startCounter(pgURL string) (*counter, error) {
	cfg, err := pgconn.ParseConfig(pgURL)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	c := &counter{ln: ln, socket: fmt.Sprintf("%s/.s.PGSQL.%d", cfg.Host, cfg.Port),
		URL: fmt.Sprintf("postgres://%s@%s/%s?sslmode=disable", cfg.User, ln.Addr(), cfg.Database)}
	go c.accept()
	return c, nil
}

func (c *counter) accept() {
	for {
		front, err := c.ln.Accept()
		if err != nil {
			return
		}
		back, err := net.Dial("unix", c.socket)
		if err != nil {
			front.Close()
			continue
		}
		answered := new(atomic.Bool) // the server has answered all the client sent
		answered.Store(true)
		c.wg.Add(2)
		go func() {
			defer c.wg.Done()
			c.pipe(back, front, true, answered)
		}()
		go func() {
			defer c.wg.Done()
			c.pipe(front, back, false, answered)
		}()
	}
}

// pipe copies src to dst message by message. The client's first message
// (startup, or a cancel request) has no type byte.
func (c *counter) pipe(dst, src net.Conn, fromClient bool, answered *atomic.Bool) {
	defer dst.Close()
	defer src.Close()
	r := bufio.NewReaderSize(src, 64<<10)
	w := bufio.NewWriterSize(dst, 64<<10)
	if fromClient {
		var hdr [4]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return
		}
		n := int64(binary.BigEndian.Uint32(hdr[:]))
		w.Write(hdr[:])
		if _, err := io.CopyN(w, r, n-4); err != nil || w.Flush() != nil {
			return
		}
	}
	var hdr [5]byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return
		}
		if fromClient {
			c.fromFront[hdr[0]].Add(1)
			if answered.Swap(false) {
				c.trips.Add(1)
			}
		} else if hdr[0] == 'Z' {
			answered.Store(true)
		}
		n := int64(binary.BigEndian.Uint32(hdr[1:]))
		w.Write(hdr[:])
		if _, err := io.CopyN(w, r, n-4); err != nil {
			return
		}
		if r.Buffered() == 0 && w.Flush() != nil { // forward as soon as the sender paused
			return
		}
	}
}

// snapshot is the counts so far.
type snapshot struct {
	trips int64
	front map[byte]int64
}

func (c *counter) snapshot() snapshot {
	s := snapshot{trips: c.trips.Load(), front: map[byte]int64{}}
	for i := range c.fromFront {
		if n := c.fromFront[i].Load(); n > 0 {
			s.front[byte(i)] = n
		}
	}
	return s
}

// perRequest describes the traffic between two snapshots, per request.
func perRequest(before, after snapshot, requests int) string {
	var parts []string
	for t, n := range after.front {
		if d := n - before.front[t]; d > 0 {
			parts = append(parts, fmt.Sprintf("%c=%.1f", t, float64(d)/float64(requests)))
		}
	}
	sort.Strings(parts)
	return fmt.Sprintf("%.2f round trips (client messages per request: %s)",
		float64(after.trips-before.trips)/float64(requests), strings.Join(parts, " "))
}

func (c *counter) close() {
	c.ln.Close()
}

// countRoundTrips sends n requests for each page, one at a time, to a server
// connected through c, and returns a line per page.
func countRoundTrips(ctx context.Context, c *counter, addr string, pages []page, n int) ([]string, error) {
	var lines []string
	for _, p := range pages {
		reqs := p.requests
		for i := range 20 { // warm: connections open, caches filled
			if err := sendOne(addr, reqs[i%len(reqs)]); err != nil {
				return nil, fmt.Errorf("%s: %w", p.name, err)
			}
		}
		before := c.snapshot()
		for i := range n {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if err := sendOne(addr, reqs[i%len(reqs)]); err != nil {
				return nil, fmt.Errorf("%s: %w", p.name, err)
			}
		}
		lines = append(lines, fmt.Sprintf("%-8s %s", p.name, perRequest(before, c.snapshot(), n)))
	}
	return lines, nil
}
