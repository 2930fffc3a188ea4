package web

import (
	"bytes"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// LimitPerClient caps the connections one client address holds open at once
// (server.max_conns_per_client): a client opening more gets a short 429 and
// the connection closed, so one client cannot hold every socket and
// goroutine of the server with slow requests. perClient 0 means no cap.
// Behind a reverse proxy every visitor shares its address: raise the cap or
// set 0 there.
func LimitPerClient(ln net.Listener, perClient int, log *slog.Logger) net.Listener {
	if perClient <= 0 {
		return ln
	}
	return &clientLimit{Listener: ln, perClient: perClient, log: log, open: map[string]int{}}
}

type clientLimit struct {
	net.Listener
	perClient int
	log       *slog.Logger
	lastLog   atomic.Int64 // unix nanoseconds of the last refusal logged

	mu   sync.Mutex
	open map[string]int
}

// refusal is the whole answer to a connection over the cap.
const refusal = "HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain; charset=utf-8\r\n" +
	"Retry-After: 1\r\nConnection: close\r\nContent-Length: 40\r\n\r\nToo many connections from your address.\n"

func (l *clientLimit) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		addr := clientIP(c.RemoteAddr())
		l.mu.Lock()
		n := l.open[addr]
		if n < l.perClient {
			l.open[addr] = n + 1
		}
		l.mu.Unlock()
		if n < l.perClient {
			return &countedConn{Conn: c, release: func() { l.release(addr) }}, nil
		}
		go l.refuse(c, addr)
	}
}

// refuse answers a connection over the cap once its request's headers are
// in (an HTTP client takes an answer sent before its request for a stray
// one), giving it a second for them, and logs the refusal at most once a
// second (a flood of refusals must not flood the log).
func (l *clientLimit) refuse(c net.Conn, addr string) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	buf := make([]byte, 4096)
	var seen []byte
	for len(seen) < 64<<10 && !bytes.Contains(seen, []byte("\r\n\r\n")) {
		n, err := c.Read(buf)
		seen = append(seen, buf[:n]...)
		if err != nil {
			return
		}
	}
	_, _ = c.Write([]byte(refusal))
	now := time.Now().UnixNano()
	if last := l.lastLog.Load(); now-last > int64(time.Second) && l.lastLog.CompareAndSwap(last, now) {
		l.log.Warn("connection refused: client over server.max_conns_per_client", "client", addr, "limit", l.perClient)
	}
}

func (l *clientLimit) release(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[addr]--; l.open[addr] <= 0 {
		delete(l.open, addr)
	}
}

// clientIP is the address part of a peer address (ports differ per connection).
func clientIP(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok {
		return tcp.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// countedConn gives its slot back when closed, once.
type countedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *countedConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}
