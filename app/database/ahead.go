package database

import (
	"context"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// Ahead lets statements that need no answer of their own (a tenant request's
// "BEGIN; SET LOCAL ...") travel in front of the next message pgx sends on the
// connection, instead of costing a round trip alone: see Hold.
//
// It sits between pgx and the network connection (installed by OpenConfig as
// pgconn's AfterNetConnect, so above TLS). Held statements go out as one
// simple-protocol Query message written together with pgx's next write;
// PostgreSQL answers that message completely (CommandComplete ... ReadyForQuery)
// before it reads what follows, and Ahead removes exactly those answers from the
// stream pgx reads, keeping an error among them for Err. Asynchronous messages
// (notices, parameter changes, notifications) pass through to pgx.
//
// A pool opened with Options.PipelineScope off holds nothing: Hold refuses,
// and its transactions send their opening statements as an ordinary query.
//
// It also carries a read-only transaction's COMMIT when the pool commits
// behind (Options.CommitBehind): see HoldCommit in behind.go.
type Ahead struct {
	net.Conn
	// id tells this connection apart from the pool's others, at random:
	// what Affinity ranks it by (see Affinity.home).
	id    uint64
	holds bool // this pool's connections hold statements (database.pipeline_scope)
	// behind is how long an owed COMMIT waits for a message to ride on
	// (FlushAfter); 0: this pool does not commit behind (database.commit_behind).
	behind time.Duration

	mu   sync.Mutex
	held []byte // the Query message not yet sent
	err  error  // what PostgreSQL answered the last sent held statements, if it failed
	out  []byte // what Write sends when something goes in front: reused

	// owed says a COMMIT is to be sent before anything else (HoldCommit);
	// flush sends it alone if no write carries it within FlushAfter.
	owed  bool
	flush *time.Timer
	// behindErr is PostgreSQL's error for the last COMMIT sent behind, kept
	// for tests only: nobody waits on it (behind.go says why that is safe).
	behindErr error

	// pending counts sent Query messages whose answers are still to be
	// removed; atomic, so that reading a reply costs no lock when it is 0.
	// committing counts those of them that are a COMMIT sent behind: their
	// answers come first.
	pending    atomic.Int32
	committing atomic.Int32

	in framer // only Read touches it; pgconn never reads from two goroutines at once
}

// maxKeptWrite is the largest buffer Write keeps for the next time.
const maxKeptWrite = 16 << 10

// wrapAhead returns pgconn's AfterNetConnect hook for a pool that holds
// statements or not, and commits behind or not.
func wrapAhead(holds bool, behind time.Duration) func(context.Context, *pgconn.Config, net.Conn) (net.Conn, error) {
	return func(_ context.Context, _ *pgconn.Config, c net.Conn) (net.Conn, error) {
		return &Ahead{Conn: c, id: rand.Uint64(), holds: holds, behind: behind}, nil
	}
}

// AheadOf returns the Ahead of a driver connection (what sql.Conn.Raw hands
// over), or nil when the pool was not opened by OpenConfig.
func AheadOf(driverConn any) *Ahead {
	c, ok := driverConn.(*stdlib.Conn)
	if !ok {
		return nil
	}
	a, _ := c.Conn().PgConn().Conn().(*Ahead)
	return a
}

// Hold keeps statements to be sent in front of the next message, as one
// simple-protocol Query. Their results are not returned (Statement allows only
// statements without rows); if they fail, PostgreSQL aborts the transaction
// they opened, the next query fails with "current transaction is aborted",
// and Err says why. It returns false, holding nothing, when the pool holds
// no statements (database.pipeline_scope off): the caller sends them itself.
func (a *Ahead) Hold(statements Statements) bool {
	if !a.holds {
		return false
	}
	n := 6
	for _, st := range statements {
		n += len(st.sql) + 2
	}
	msg := make([]byte, 0, n)
	msg = append(msg, 'Q', 0, 0, 0, 0)
	for i, st := range statements { // as Statements.SQL, without building the string
		if i > 0 {
			msg = append(msg, "; "...)
		}
		msg = append(msg, st.sql...)
	}
	msg = append(msg, 0)
	putLength(msg)
	a.mu.Lock()
	a.held = msg
	a.err = nil
	a.mu.Unlock()
	return true
}

// Holds reports whether this pool's connections hold statements
// (database.pipeline_scope on): also what lets a transaction send its COMMIT
// right behind its last statement (tenant.CommitNext).
func (a *Ahead) Holds() bool { return a.holds }

// Drop forgets held statements that have not been sent, and reports whether
// there were any: then PostgreSQL never saw them and there is nothing to end.
func (a *Ahead) Drop() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	held := a.held != nil
	a.held = nil
	return held
}

// Err is PostgreSQL's error for the last held statements, once sent and answered.
func (a *Ahead) Err() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

// Write sends p, preceded by an owed COMMIT and the held statements if there
// are any, in one write.
func (a *Ahead) Write(p []byte) (int, error) {
	a.mu.Lock()
	if a.held == nil && !a.owed {
		a.mu.Unlock()
		return a.Conn.Write(p)
	}
	// The lock is kept for the write: flush (behind.go) writes from another
	// goroutine, and the COMMIT must reach the server before what follows.
	defer a.mu.Unlock()
	out := a.out[:0]
	if a.owed {
		out = append(out, commitMessage...)
		a.owed = false
		a.committing.Add(1)
		a.pending.Add(1)
	}
	if a.held != nil {
		out = append(out, a.held...)
		a.held = nil
		a.pending.Add(1)
	}
	out = append(out, p...)
	if cap(out) <= maxKeptWrite { // a large first query's buffer is not kept for the connection's life
		a.out = out[:0]
	}
	if _, err := a.Conn.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Read reads from the server and removes the answers to sent held statements.
func (a *Ahead) Read(p []byte) (int, error) {
	for {
		n, err := a.Conn.Read(p)
		kept := a.in.filter(p[:n], a)
		if kept > 0 || err != nil || n == 0 {
			return kept, err
		}
		// Everything read was an answer to held statements: read on.
	}
}

// startMessage decides, at the first byte of each message from the server,
// whether it answers held statements and so is removed.
func (a *Ahead) startMessage(typ byte) (drop bool) {
	if a.pending.Load() == 0 {
		return false
	}
	switch typ {
	case 'C', 'I', 'E', 'Z': // CommandComplete, EmptyQueryResponse, ErrorResponse, ReadyForQuery
		return true
	}
	return false // asynchronous: NoticeResponse, ParameterStatus, NotificationResponse
}

// endMessage records a removed message once it is complete.
func (a *Ahead) endMessage(typ byte, body []byte) {
	switch {
	case typ == 'E' && a.committing.Load() > 0:
		a.mu.Lock()
		a.behindErr = decodeError(body)
		a.mu.Unlock()
	case typ == 'E':
		a.mu.Lock()
		if a.err == nil {
			a.err = decodeError(body)
		}
		a.mu.Unlock()
	case typ == 'Z':
		if a.committing.Load() > 0 {
			a.committing.Add(-1)
		}
		a.pending.Add(-1)
	}
}

// putLength writes a protocol message's length (everything but the type byte) into msg[1:5].
func putLength(msg []byte) {
	n := uint32(len(msg) - 1)
	msg[1], msg[2], msg[3], msg[4] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
}
