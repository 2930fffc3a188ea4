package database

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestStatementsQuoteWhatTheyAreGiven(t *testing.T) {
	for _, c := range []struct {
		got  Statements
		want string
	}{
		{Statements{Begin(), SetLocalSearchPath("client1")}, `BEGIN; SET LOCAL search_path TO "client1"`},
		{Statements{SetLocalSearchPath(`a"; DROP TABLE x; --`)}, `SET LOCAL search_path TO "a""; DROP TABLE x; --"`},
		{Statements{SetLocalRole("polls_3fa2c1_client1")}, `SET LOCAL ROLE "polls_3fa2c1_client1"`},
		{Statements{SetLocalStatementTimeout(5 * time.Second), SetLocalLockTimeout(1500 * time.Microsecond),
			SetLocalIdleTimeout(time.Nanosecond)},
			"SET LOCAL statement_timeout = 5000; SET LOCAL lock_timeout = 2; SET LOCAL idle_in_transaction_session_timeout = 1"},
		{Statements{SetLocalRole("r\x00o\"le")}, `SET LOCAL ROLE "ro""le"`},
		{nil, ""},
	} {
		if got := c.got.SQL(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

// TestIdentifiersQuotedAsPgx: the quoting matches pgx's own, on names
// with quotes, NUL bytes and non-ASCII letters.
func TestIdentifiersQuotedAsPgx(t *testing.T) {
	for _, name := range []string{"client1", `a"b""c`, "x\x00y", "tenant_ümlaut", ""} {
		if got, want := withIdentifier("", name), (pgx.Identifier{name}).Sanitize(); got != want {
			t.Errorf("%q: got %s, pgx says %s", name, got, want)
		}
	}
}

func TestAPoolThatHoldsNothingRefusesToHold(t *testing.T) {
	for _, holds := range []bool{true, false} {
		c, err := wrapAhead(holds, 0)(t.Context(), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		a := c.(*Ahead)
		stmts := Statements{Begin(), SetLocalSearchPath("s"), SetLocalRole("r")}
		if got := a.Hold(stmts); got != holds {
			t.Fatalf("pipeline_scope %v: Hold returned %v", holds, got)
		}
		// Q, the length (4 + 55 bytes of text + the NUL: 60), the text, NUL.
		if want := "Q\x00\x00\x00\x3c" + stmts.SQL() + "\x00"; holds && string(a.held) != want {
			t.Fatalf("held message %q, want %q", a.held, want)
		}
		if dropped := a.Drop(); dropped != holds {
			t.Fatalf("pipeline_scope %v: statements were held: %v", holds, dropped)
		}
	}
}
