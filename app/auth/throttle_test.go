package auth

import (
	"fmt"
	"testing"
	"time"
)

// clock is a stopped clock that tests move by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestThrottle() (*Throttle, *clock) {
	c := &clock{t: time.Date(2024, 5, 6, 7, 8, 0, 0, time.UTC)}
	th := NewThrottle()
	th.Now = c.now
	return th, c
}

func TestThrottleLocksAfterLimitAndUnlocksAfterWindow(t *testing.T) {
	th, c := newTestThrottle()
	key := ThrottleKey("client1", "admin", "192.0.2.1")
	for i := 1; i < th.Limit; i++ {
		th.Fail(key)
		c.advance(time.Minute)
		if _, blocked := th.Blocked(key); blocked {
			t.Fatalf("after %d failures: got blocked, want allowed", i)
		}
	}
	th.Fail(key)
	wait, blocked := th.Blocked(key)
	if !blocked || wait != th.Window {
		t.Fatalf("after %d failures: got blocked=%v wait=%v, want blocked for %v", th.Limit, blocked, wait, th.Window)
	}
	c.advance(th.Window - time.Second)
	if wait, blocked := th.Blocked(key); !blocked || wait != time.Second {
		t.Errorf("a second before the end: got blocked=%v wait=%v, want blocked for 1s", blocked, wait)
	}
	c.advance(time.Second)
	if _, blocked := th.Blocked(key); blocked {
		t.Errorf("after the window: got blocked, want allowed")
	}
	th.Fail(key) // a new window: one failure is not enough to lock again
	if _, blocked := th.Blocked(key); blocked {
		t.Errorf("one failure after the lock ended: got blocked, want allowed")
	}
}

func TestThrottleKeysAreSeparateAndSuccessForgets(t *testing.T) {
	th, _ := newTestThrottle()
	key := ThrottleKey("client1", "admin", "192.0.2.1")
	for range th.Limit {
		th.Fail(key)
	}
	for _, other := range []string{
		ThrottleKey("client2", "admin", "192.0.2.1"),
		ThrottleKey("client1", "root", "192.0.2.1"),
		ThrottleKey("client1", "admin", "192.0.2.2"),
	} {
		if _, blocked := th.Blocked(other); blocked {
			t.Errorf("key %q: got blocked by another key's failures, want allowed", other)
		}
	}
	k2 := ThrottleKey("client1", "root", "192.0.2.1")
	for range th.Limit - 1 {
		th.Fail(k2)
	}
	th.Succeed(k2)
	th.Fail(k2)
	if _, blocked := th.Blocked(k2); blocked {
		t.Errorf("after a success: got earlier failures still counted, want them forgotten")
	}
}

func TestThrottleMemoryIsBounded(t *testing.T) {
	th, c := newTestThrottle()
	th.MaxKeys = 100
	for i := range 1000 {
		th.Fail(ThrottleKey("client1", fmt.Sprint("user", i), "192.0.2.1"))
	}
	if got := th.Len(); got > th.MaxKeys {
		t.Fatalf("keys under a flood: got %d, want at most %d", got, th.MaxKeys)
	}
	locked := ThrottleKey("client1", "admin", "192.0.2.9")
	for range th.Limit {
		th.Fail(locked)
	}
	c.advance(th.Window) // every earlier entry has expired and makes room
	for i := range 50 {
		th.Fail(ThrottleKey("client1", fmt.Sprint("late", i), "192.0.2.1"))
	}
	if got := th.Len(); got > 51 {
		t.Errorf("keys after expiry: got %d, want expired ones dropped (at most 51)", got)
	}
}
