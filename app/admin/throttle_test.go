package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/auth"
	"polls/app/config"
)

// postAtOnce posts n forms in parallel, released together, each with the
// headers header(i) gives, and counts the answers by status.
func (s site) postAtOnce(t *testing.T, n int, form url.Values, header func(i int) http.Header) map[int]int {
	t.Helper()
	b := s.browser(t) // one browser: its CSRF token is fetched once, before the burst
	apptest.CSRF(t, b.client, b.Domain, "/admin/login/")
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, _ := b.postWithHeader(t, "/admin/login/", form, header(i))
			mu.Lock()
			statuses[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return statuses
}

// TestParallelWrongPasswordsGetOnlyTheLimit: 30 wrong passwords sent at
// once from one address get exactly 5 checked (a 200 with the form again);
// the others are refused unchecked, and so is the right password after.
func TestParallelWrongPasswordsGetOnlyTheLimit(t *testing.T) {
	hasher := auth.NewHasher(2)
	srv := apptest.NewServerWith(t, apptest.Options{Hasher: hasher})
	s := site{Tenant: apptest.NewTenant(t), srv: srv, client: srv.Client(t)}
	s.addUser(t, superuser)
	wrong := url.Values{"username": {superuser.name}, "password": {"not it"}}
	got := s.postAtOnce(t, 30, wrong, func(int) http.Header { return nil })
	if got[http.StatusOK] != 5 || got[http.StatusTooManyRequests] != 25 {
		t.Fatalf("30 parallel wrong passwords: got %v, want 5 checked (200) and 25 refused (429)", got)
	}
	if hasher.Runs() != 5 {
		t.Errorf("passwords checked: got %d, want 5", hasher.Runs())
	}
	resp, _ := s.post(t, "/admin/login/", url.Values{"username": {superuser.name}, "password": {superuser.password}})
	if after, _ := strconv.Atoi(resp.Header.Get("Retry-After")); resp.StatusCode != http.StatusTooManyRequests || after < 840 || after > 900 {
		t.Errorf("the right password after: got %d with Retry-After %q, want 429 and about 900", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

// TestManyAddressesGetTheAccountLimit: behind a trusted proxy, guesses
// spread over many addresses get 20 checks and are then slowed; the owner
// is not locked out at an address where they logged in before, and waits
// seconds, not minutes, at a new one.
func TestManyAddressesGetTheAccountLimit(t *testing.T) {
	// The throttle's clock stands still, so no slowed turn comes round
	// while the test runs, however slow the machine.
	th := auth.NewThrottle()
	now := time.Now()
	th.Now = func() time.Time { return now }
	srv := apptest.NewServerWith(t, apptest.Options{Throttle: th, Config: func(c *config.Config) {
		c.Server.TrustedProxies = []string{"127.0.0.0/8"}
	}})
	s := site{Tenant: apptest.NewTenant(t), srv: srv, client: srv.Client(t)}
	s.addUser(t, superuser)
	from := func(addr string) http.Header { return http.Header{"X-Forwarded-For": {addr}} }
	right := url.Values{"username": {superuser.name}, "password": {superuser.password}}
	if resp, _ := s.browser(t).postWithHeader(t, "/admin/login/", right, from("192.0.2.10")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the owner's first login: got %d, want 303", resp.StatusCode)
	}

	wrong := url.Values{"username": {superuser.name}, "password": {"not it"}}
	got := s.postAtOnce(t, 30, wrong, func(i int) http.Header { return from(fmt.Sprintf("203.0.113.%d", i+1)) })
	if got[http.StatusOK] != 20 || got[http.StatusTooManyRequests] != 10 {
		t.Fatalf("30 wrong passwords at once from 30 addresses: got %v, want 20 checked (200) and 10 refused (429)", got)
	}
	resp, body := s.postWithHeader(t, "/admin/login/", wrong, from("203.0.113.200"))
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a 31st address: got %d, want 429", resp.StatusCode)
	}
	if after, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || after < 1 || after > 60 {
		t.Errorf("Retry-After while slowed: got %q, want 1..60 seconds", resp.Header.Get("Retry-After"))
	}
	if got := errorNote(body); !strings.HasPrefix(got, "Too many failed login attempts for this account. Please try again in 1 second") {
		t.Errorf("message while slowed: got %q, want a wait in seconds", got)
	}

	if resp, _ := s.browser(t).postWithHeader(t, "/admin/login/", right, from("192.0.2.10")); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the owner at their known address while slowed: got %d, want 303", resp.StatusCode)
	}
	resp, _ = s.browser(t).postWithHeader(t, "/admin/login/", right, from("198.51.100.1"))
	if after, _ := strconv.Atoi(resp.Header.Get("Retry-After")); resp.StatusCode != http.StatusTooManyRequests || after > 60 {
		t.Errorf("the owner at a new address while slowed: got %d with Retry-After %q, want 429 for seconds",
			resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	s.wantCount(t, "sessions (the owner's two logins at their known address)", 2, "SELECT count(*) FROM django_session")
}

// TestIPv6AddressesCountPer64: the addresses of one /64 share a counter.
func TestIPv6AddressesCountPer64(t *testing.T) {
	s := newSiteTrusting(t, "127.0.0.0/8")
	s.addUser(t, superuser)
	from := func(addr string) http.Header { return http.Header{"X-Forwarded-For": {addr}} }
	wrong := url.Values{"username": {superuser.name}, "password": {"not it"}}
	for i := 1; i <= 5; i++ {
		if resp, _ := s.postWithHeader(t, "/admin/login/", wrong, from(fmt.Sprintf("2001:db8:aa:bb::%x", i))); resp.StatusCode != http.StatusOK {
			t.Fatalf("failed login %d: got %d, want 200", i, resp.StatusCode)
		}
	}
	right := url.Values{"username": {superuser.name}, "password": {superuser.password}}
	for _, tt := range []struct {
		addr string
		want int
	}{
		{"2001:db8:aa:bb:1234:5678:9abc:def0", http.StatusTooManyRequests},
		{"[2001:db8:aa:bb::99]", http.StatusTooManyRequests},
		{"2001:db8:aa:bc::1", http.StatusSeeOther},
	} {
		if resp, _ := s.browser(t).postWithHeader(t, "/admin/login/", right, from(tt.addr)); resp.StatusCode != tt.want {
			t.Errorf("right password from %s: got %d, want %d", tt.addr, resp.StatusCode, tt.want)
		}
	}
}
