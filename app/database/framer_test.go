package database

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// newAheadPending is an Ahead that has sent one held message.
func newAheadPending() *Ahead {
	a := &Ahead{}
	a.pending.Store(1)
	return a
}

// message builds one server message.
func message(typ byte, body string) []byte {
	m := append([]byte{typ, 0, 0, 0, 0}, body...)
	putLength(m)
	return m
}

// errorBody is an ErrorResponse body: severity, code, message fields.
func errorBody(code, text string) string {
	return "SERROR\x00C" + code + "\x00M" + text + "\x00\x00"
}

// answerThenQuery is what PostgreSQL sends for a held "BEGIN; SET LOCAL ...;
// SET LOCAL ROLE ..." followed by an extended-protocol query: the first part
// (with asynchronous messages mixed in) must vanish, the second stay intact.
func answerThenQuery(heldAnswer ...[]byte) (stream, want []byte) {
	for _, m := range heldAnswer {
		stream = append(stream, m...)
	}
	var query []byte
	query = append(query, message('1', "")...)
	query = append(query, message('2', "")...)
	query = append(query, message('T', "\x00\x01id\x00fake-row-description")...)
	for i := range 200 {
		query = append(query, message('D', string(bytes.Repeat([]byte{byte(i)}, i)))...)
	}
	query = append(query, message('C', "SELECT 200\x00")...)
	query = append(query, message('Z', "T")...)
	return append(stream, query...), query
}

// feed runs stream through a framer in the given chunk sizes (cycled).
func feed(a *Ahead, stream []byte, chunk func() int) []byte {
	var out []byte
	for len(stream) > 0 {
		n := min(chunk(), len(stream))
		b := append([]byte(nil), stream[:n]...)
		out = append(out, b[:a.in.filter(b, a)]...)
		stream = stream[n:]
	}
	return out
}

func TestFramerRemovesOnlyTheHeldStatementsAnswer(t *testing.T) {
	notice := message('N', "SWARNING\x00C25001\x00Mthere is already a transaction in progress\x00\x00")
	param := message('S', "is_superuser\x00off\x00")
	stream, query := answerThenQuery(
		message('C', "BEGIN\x00"), notice, message('C', "SET\x00"), param, message('C', "SET\x00"), message('Z', "T"))
	want := append(append(append([]byte(nil), notice...), param...), query...)

	// Every chunk size from one byte up splits headers and bodies everywhere.
	for size := 1; size <= 64; size++ {
		a := newAheadPending()
		got := feed(a, stream, func() int { return size })
		if !bytes.Equal(got, want) {
			t.Fatalf("chunks of %d: got %d bytes, want %d: the held answer was not removed exactly", size, len(got), len(want))
		}
		if a.pending.Load() != 0 || a.Err() != nil {
			t.Fatalf("chunks of %d: pending %d, err %v; want 0 and nil", size, a.pending.Load(), a.Err())
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		a := newAheadPending()
		if got := feed(a, stream, func() int { return 1 + rng.IntN(300) }); !bytes.Equal(got, want) {
			t.Fatal("random chunks: the held answer was not removed exactly")
		}
	}
}

func TestFramerPassesEverythingWhenNothingWasHeld(t *testing.T) {
	stream, _ := answerThenQuery(message('C', "BEGIN\x00"), message('Z', "T"))
	a := &Ahead{}
	if got := feed(a, stream, func() int { return 7 }); !bytes.Equal(got, stream) {
		t.Fatal("with nothing held, the stream must pass unchanged")
	}
}

func TestFramerKeepsTheHeldStatementsError(t *testing.T) {
	stream, query := answerThenQuery(
		message('C', "BEGIN\x00"), message('C', "SET\x00"),
		message('E', errorBody("22023", `role "nobody_here" does not exist`)), message('Z', "E"))
	for size := 1; size <= 40; size++ {
		a := newAheadPending()
		if got := feed(a, stream, func() int { return size }); !bytes.Equal(got, query) {
			t.Fatalf("chunks of %d: the failed held answer was not removed exactly", size)
		}
		var pgErr *pgconn.PgError
		if !errors.As(a.Err(), &pgErr) || pgErr.Code != "22023" || pgErr.Message != `role "nobody_here" does not exist` {
			t.Fatalf("chunks of %d: Err() = %v, want the role error", size, a.Err())
		}
	}
}
