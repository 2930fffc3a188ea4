package apptest

import (
	"testing"
	"time"
)

// Eventually polls check until it holds, failing the test after within: for
// what happens on another goroutine or in another process (a NOTIFY reaching
// a server, a request reaching a queue), which no channel of the test's can
// signal.
func Eventually(t testing.TB, what string, within time.Duration, check func() bool) {
	t.Helper()
	for deadline := time.Now().Add(within); !check(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
	}
}
