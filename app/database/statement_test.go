package database

import (
	"testing"
	"time"
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
		{nil, ""},
	} {
		if got := c.got.SQL(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func TestAPoolThatHoldsNothingRefusesToHold(t *testing.T) {
	for _, holds := range []bool{true, false} {
		c, err := wrapAhead(holds)(t.Context(), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		a := c.(*Ahead)
		if got := a.Hold(Statements{Begin()}); got != holds {
			t.Fatalf("pipeline_scope %v: Hold returned %v", holds, got)
		}
		if dropped := a.Drop(); dropped != holds {
			t.Fatalf("pipeline_scope %v: statements were held: %v", holds, dropped)
		}
	}
}
