package auth

import (
	"errors"
	"fmt"
	"sync"
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

// fail reserves an attempt and records it as a wrong password.
func fail(t *testing.T, th *Throttle, site, username, addr string) {
	t.Helper()
	a, err := th.Reserve(site, username, addr)
	if err != nil {
		t.Fatalf("reserve %s@%s: got %v, want an attempt", username, addr, err)
	}
	a.Fail()
}

// refused returns the throttle's refusal of one more attempt, or nil (then
// the attempt taken is cancelled again).
func refused(th *Throttle, site, username, addr string) *ThrottledError {
	a, err := th.Reserve(site, username, addr)
	var te *ThrottledError
	if errors.As(err, &te) {
		return te
	}
	a.Cancel()
	return nil
}

func TestThrottleLocksAfterLimitAndUnlocksAfterWindow(t *testing.T) {
	th, c := newTestThrottle()
	for i := 1; i < th.AddrLimit; i++ {
		fail(t, th, "client1", "admin", "192.0.2.1")
		c.advance(time.Minute)
		if r := refused(th, "client1", "admin", "192.0.2.1"); r != nil {
			t.Fatalf("after %d failures: got refused (%v), want allowed", i, r)
		}
	}
	fail(t, th, "client1", "admin", "192.0.2.1")
	r := refused(th, "client1", "admin", "192.0.2.1")
	if r == nil || r.Wait != th.Window || r.Account {
		t.Fatalf("after %d failures: got %v, want the address refused for %v", th.AddrLimit, r, th.Window)
	}
	c.advance(th.Window - time.Second)
	if r := refused(th, "client1", "admin", "192.0.2.1"); r == nil || r.Wait != time.Second {
		t.Errorf("a second before the end: got %v, want refused for 1s", r)
	}
	c.advance(time.Second)
	if r := refused(th, "client1", "admin", "192.0.2.1"); r != nil {
		t.Errorf("after the window: got refused (%v), want allowed", r)
	}
	fail(t, th, "client1", "admin", "192.0.2.1") // a new window: one failure is not enough to lock again
	if r := refused(th, "client1", "admin", "192.0.2.1"); r != nil {
		t.Errorf("one failure after the lock ended: got refused (%v), want allowed", r)
	}
}

func TestThrottleKeysAreSeparateAndSuccessForgets(t *testing.T) {
	th, _ := newTestThrottle()
	for range th.AddrLimit {
		fail(t, th, "client1", "admin", "192.0.2.1")
	}
	for _, other := range []struct{ site, username, addr string }{
		{"client2", "admin", "192.0.2.1"},
		{"client1", "root", "192.0.2.1"},
		{"client1", "admin", "192.0.2.2"},
	} {
		if r := refused(th, other.site, other.username, other.addr); r != nil {
			t.Errorf("%v: got refused by another key's failures (%v), want allowed", other, r)
		}
	}
	for range th.AddrLimit - 1 {
		fail(t, th, "client1", "root", "192.0.2.1")
	}
	a, err := th.Reserve("client1", "root", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	a.Succeed()
	fail(t, th, "client1", "root", "192.0.2.1")
	if r := refused(th, "client1", "root", "192.0.2.1"); r != nil {
		t.Errorf("after a success: got earlier failures still counted (%v), want them forgotten", r)
	}
}

// TestThrottleReservesBeforeTheCheck: parallel attempts from one address
// get exactly the limit between them, however many there are; attempts
// given back (no password checked) are not failures.
func TestThrottleReservesBeforeTheCheck(t *testing.T) {
	th, _ := newTestThrottle()
	reserve := func(n int) []*Attempt {
		var mu sync.Mutex
		var got []*Attempt
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if a, err := th.Reserve("client1", "admin", "192.0.2.1"); err == nil {
					mu.Lock()
					got = append(got, a)
					mu.Unlock()
				}
			}()
		}
		close(start)
		wg.Wait()
		return got
	}
	granted := reserve(30)
	if len(granted) != th.AddrLimit {
		t.Fatalf("30 parallel attempts: got %d reserved, want %d", len(granted), th.AddrLimit)
	}
	if r := refused(th, "client1", "admin", "192.0.2.1"); r == nil || r.Wait != pendingWait {
		t.Errorf("while %d are checked: got %v, want refused for %v", th.AddrLimit, r, pendingWait)
	}
	for _, a := range granted {
		a.Cancel()
		a.Fail() // after Cancel: counts nothing
	}
	granted = reserve(30)
	if len(granted) != th.AddrLimit {
		t.Fatalf("after giving them back: got %d reserved, want %d", len(granted), th.AddrLimit)
	}
	for _, a := range granted {
		a.Fail()
	}
	if r := refused(th, "client1", "admin", "192.0.2.1"); r == nil || r.Wait != th.Window {
		t.Errorf("after %d failures: got %v, want refused for %v", th.AddrLimit, r, th.Window)
	}
}

// TestThrottleSlowsAnAccountAcrossAddresses: guesses spread over addresses
// get the account limit in a burst, then one check per growing delay; the
// slowdown ends a window after the last failure.
func TestThrottleSlowsAnAccountAcrossAddresses(t *testing.T) {
	th, c := newTestThrottle()
	addr := func(i int) string { return fmt.Sprintf("198.51.100.%d", i) }
	for i := range th.AccountLimit {
		fail(t, th, "client1", "admin", addr(i))
	}
	r := refused(th, "client1", "admin", addr(100))
	if r == nil || !r.Account || r.Wait != th.SlowStart {
		t.Fatalf("a fresh address after %d failures elsewhere: got %v, want the account slowed for %v", th.AccountLimit, r, th.SlowStart)
	}
	if r := refused(th, "client2", "admin", addr(100)); r != nil {
		t.Errorf("the same username on another site: got %v, want allowed", r)
	}
	want := th.SlowStart
	for i := range 8 {
		c.advance(want)
		fail(t, th, "client1", "admin", addr(101+i))
		want = min(2*want, th.SlowMax)
		if r := refused(th, "client1", "admin", addr(200+i)); r == nil || r.Wait != want {
			t.Fatalf("after slowed check %d: got %v, want the next in %v", i+1, r, want)
		}
	}
	if want != th.SlowMax {
		t.Fatalf("delay after 8 slowed checks: got %v, want the cap %v", want, th.SlowMax)
	}
	c.advance(th.Window)
	for i := range th.AccountLimit {
		if r := refused(th, "client1", "admin", addr(50+i)); r != nil {
			t.Fatalf("a window after the last failure, attempt %d: got %v, want allowed", i+1, r)
		}
		fail(t, th, "client1", "admin", addr(50+i))
	}
}

// TestThrottleParallelAddressesGetTheAccountLimit: many addresses at once
// get no more checks than the account limit.
func TestThrottleParallelAddressesGetTheAccountLimit(t *testing.T) {
	th, _ := newTestThrottle()
	var mu sync.Mutex
	granted := 0
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if a, err := th.Reserve("client1", "admin", fmt.Sprintf("203.0.113.%d", i)); err == nil {
				mu.Lock()
				granted++
				mu.Unlock()
				a.Fail()
			}
		}()
	}
	close(start)
	wg.Wait()
	if granted != th.AccountLimit {
		t.Errorf("60 addresses at once: got %d checks, want %d", granted, th.AccountLimit)
	}
}

// TestThrottleKnownAddressIsExempt: where the owner logged in before, a
// slowdown caused elsewhere does not reach them; a new place does wait.
func TestThrottleKnownAddressIsExempt(t *testing.T) {
	th, c := newTestThrottle()
	a, err := th.Reserve("client1", "admin", "192.0.2.10")
	if err != nil {
		t.Fatal(err)
	}
	a.Succeed()
	for i := range th.AccountLimit + 5 {
		if refused(th, "client1", "admin", fmt.Sprintf("198.51.100.%d", i)) == nil {
			fail(t, th, "client1", "admin", fmt.Sprintf("198.51.100.%d", i))
		}
	}
	if r := refused(th, "client1", "admin", "203.0.113.1"); r == nil || !r.Account {
		t.Fatalf("a new address while slowed: got %v, want the account slowdown", r)
	}
	for range 3 {
		a, err := th.Reserve("client1", "admin", "192.0.2.10")
		if err != nil {
			t.Fatalf("the owner's known address while slowed: got %v, want allowed", err)
		}
		a.Succeed()
	}
	for range th.AddrLimit { // its own limit still holds
		fail(t, th, "client1", "admin", "192.0.2.10")
	}
	if r := refused(th, "client1", "admin", "192.0.2.10"); r == nil || r.Account {
		t.Errorf("a known address after %d failures: got %v, want its own limit", th.AddrLimit, r)
	}
	c.advance(th.KnownFor + th.Window)
	for i := range th.AccountLimit {
		fail(t, th, "client1", "admin", fmt.Sprintf("198.51.100.%d", i))
	}
	if r := refused(th, "client1", "admin", "192.0.2.10"); r == nil || !r.Account {
		t.Errorf("%v after the login: got %v, want the address forgotten and slowed", th.KnownFor, r)
	}
}

func TestThrottleCountsIPv6Per64(t *testing.T) {
	for _, tt := range []struct{ addr, want string }{
		{"192.0.2.1", "192.0.2.1"},
		{"::ffff:192.0.2.1", "192.0.2.1"},
		{"2001:db8:1:2::1", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff:eeee:dddd:cccc", "2001:db8:1:2::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"not an address", "not an address"},
	} {
		if got := clientNet(tt.addr); got != tt.want {
			t.Errorf("clientNet(%q): got %q, want %q", tt.addr, got, tt.want)
		}
	}
	th, _ := newTestThrottle()
	for i := range th.AddrLimit {
		fail(t, th, "client1", "admin", fmt.Sprintf("2001:db8:1:2::%x", i+1))
	}
	if r := refused(th, "client1", "admin", "2001:db8:1:2:aaaa::1"); r == nil || r.Account {
		t.Errorf("another address of the same /64: got %v, want refused by the address limit", r)
	}
	if r := refused(th, "client1", "admin", "2001:db8:1:3::1"); r != nil {
		t.Errorf("another /64: got %v, want allowed", r)
	}
}

func TestThrottleMemoryIsBounded(t *testing.T) {
	th, c := newTestThrottle()
	th.MaxKeys = 100
	for i := range 1000 {
		fail(t, th, "client1", fmt.Sprint("user", i), "192.0.2.1")
	}
	if got := th.Len(); got > 2*th.MaxKeys {
		t.Fatalf("keys under a flood: got %d, want at most %d (two tables)", got, 2*th.MaxKeys)
	}
	for range th.AddrLimit {
		fail(t, th, "client1", "admin", "192.0.2.9")
	}
	for i := range 1000 { // a flood of one-off usernames evicts its own entries first
		fail(t, th, "client1", fmt.Sprint("other", i), "192.0.2.1")
	}
	if r := refused(th, "client1", "admin", "192.0.2.9"); r == nil {
		t.Errorf("a locked address after a flood: got allowed, want still refused")
	}
	c.advance(th.Window) // every earlier entry has expired and makes room
	for i := range 50 {
		fail(t, th, "client1", fmt.Sprint("late", i), "192.0.2.1")
	}
	if got := th.Len(); got > 2*51 {
		t.Errorf("keys after expiry: got %d, want expired ones dropped (at most %d)", got, 2*51)
	}
}
