// Package lazybegin is a measuring prototype, not production code: it shows
// what polls would gain if a request's scoping travelled with its first query.
//
// polls opens each request's transaction with one simple-protocol message,
// "BEGIN; SET LOCAL search_path TO ...", and waits for the answer before the
// handler's first query: one round trip that carries no data. Conn, wrapped
// around the network connection pgx uses, holds that message back and answers
// it locally exactly as PostgreSQL would (BEGIN, SET..., ReadyForQuery in a
// transaction); the held message is then written in front of the next message
// pgx sends (the first query, or COMMIT), and PostgreSQL's real answers to it
// are dropped on the way back. pgx, database/sql, GORM and app/tenant are
// unchanged, so the benchmark isolates the saving of one round trip.
//
// What makes it a prototype: an error in the held statements would surface
// only as "current transaction is aborted" on the next query, and matching
// on the statement text is a convention, not an API.
package lazybegin

import (
	"bytes"
	"context"
	"encoding/binary"
	"net"
	"strings"
	"sync"
)

// prefix marks the message to hold back: polls' tenant.Begin sends it.
const prefix = "BEGIN; SET LOCAL "

// Dial is a pgx DialFunc (pgx.ConnConfig.DialFunc) that wraps connections.
func Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	lc := &Conn{Conn: c}
	lc.cond = sync.NewCond(&lc.mu)
	go lc.pump()
	return lc, nil
}

// Conn is a connection to PostgreSQL that defers polls' scoping message.
// A goroutine reads the socket into in, so that a Read waiting for the server
// can be answered with the local reply instead (pgx may be reading in the
// background when it sends the message to defer).
type Conn struct {
	net.Conn
	mu      sync.Mutex
	cond    *sync.Cond
	held    []byte // the deferred Query message, not yet sent
	fake    []byte // the local answer to it, not yet read
	swallow int    // ReadyForQuery messages of deferred statements still to drop
	in      []byte // bytes read from the server, not yet read by pgx
	readErr error  // the socket's read error, for the next Read
}

func (c *Conn) Write(p []byte) (int, error) {
	c.mu.Lock()
	if answer, ok := deferrable(p); ok && c.held == nil {
		c.held = append([]byte(nil), p...)
		c.fake = append(c.fake, answer...)
		c.cond.Broadcast()
		c.mu.Unlock()
		return len(p), nil
	}
	held := c.held
	if held != nil {
		c.held = nil
		c.swallow++
	}
	c.mu.Unlock()
	if held == nil {
		return c.Conn.Write(p)
	}
	if _, err := c.Conn.Write(append(held, p...)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// pump reads the socket until it fails for good.
func (c *Conn) pump() {
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Conn.Read(buf)
		c.mu.Lock()
		c.in = append(c.in, buf[:n]...)
		c.readErr = err
		c.cond.Broadcast()
		for c.readErr != nil && isTimeout(err) {
			c.cond.Wait() // a deadline expired: wait until a Read reported it
		}
		c.mu.Unlock()
		if err != nil && !isTimeout(err) {
			return
		}
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

func (c *Conn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if len(c.fake) > 0 {
			n := copy(p, c.fake)
			c.fake = c.fake[n:]
			return n, nil
		}
		c.dropDeferredAnswers()
		if c.swallow == 0 && len(c.in) > 0 {
			n := copy(p, c.in)
			c.in = c.in[n:]
			return n, nil
		}
		if err := c.readErr; err != nil {
			c.readErr = nil
			c.cond.Broadcast()
			return 0, err
		}
		c.cond.Wait()
	}
}

// dropDeferredAnswers removes PostgreSQL's answers to deferred messages, up
// to and including their ReadyForQuery, from the front of in.
func (c *Conn) dropDeferredAnswers() {
	for c.swallow > 0 && len(c.in) >= 5 {
		n := 1 + int(binary.BigEndian.Uint32(c.in[1:5]))
		if len(c.in) < n {
			return
		}
		if c.in[0] == 'Z' {
			c.swallow--
		}
		c.in = c.in[n:]
	}
}

// deferrable reports whether p is exactly one simple Query message made of
// BEGIN and SET LOCALs, and returns the answer PostgreSQL would give it.
func deferrable(p []byte) ([]byte, bool) {
	if len(p) < 6 || p[0] != 'Q' || int(binary.BigEndian.Uint32(p[1:5])) != len(p)-1 || p[len(p)-1] != 0 {
		return nil, false
	}
	text := string(p[5 : len(p)-1])
	if !strings.HasPrefix(text, prefix) {
		return nil, false
	}
	var answer bytes.Buffer
	for i, stmt := range strings.Split(text, ";") {
		stmt = strings.TrimSpace(stmt)
		tag := "SET"
		switch {
		case i == 0 && stmt == "BEGIN":
			tag = "BEGIN"
		case !strings.HasPrefix(stmt, "SET LOCAL "):
			return nil, false
		}
		message(&answer, 'C', append([]byte(tag), 0))
	}
	message(&answer, 'Z', []byte{'T'})
	return answer.Bytes(), true
}

func message(b *bytes.Buffer, typ byte, body []byte) {
	b.WriteByte(typ)
	_ = binary.Write(b, binary.BigEndian, uint32(4+len(body)))
	b.Write(body)
}
