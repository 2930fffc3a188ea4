package admin_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/auth"
	"polls/app/config"
)

// procStatusKB reads a line of /proc/self/status, in kB: the test server
// runs in this process, so its memory is this process's.
func procStatusKB(t *testing.T, key string) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), key+":"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/self/status", key)
	return 0
}

// TestLoginFloodKeepsMemoryBoundedAndOtherTenantsFast: 100 logins at once
// with unknown usernames (each one a full argon2id check, 19 MiB) raise the
// process's peak resident memory by less than 150 MB, every one is answered
// (the form again, or 503 busy, never a 500), and another tenant's index
// answers 200 within a second throughout.
func TestLoginFloodKeepsMemoryBoundedAndOtherTenantsFast(t *testing.T) {
	sites := newSites(t, 2)
	target, other := sites[0], sites[1]
	other.getOK(t, "/polls/") // warm: the quiet tenant's route and plans
	apptest.CSRF(t, target.client, target.Domain, "/admin/login/")

	runtime.GC()
	debug.FreeOSMemory()
	before := procStatusKB(t, "VmRSS")
	// Writing 5 resets the peak (VmHWM) to the current resident size.
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Fatalf("reset the peak resident size: %v", err)
	}

	const logins = 100
	var mu sync.Mutex
	statuses := map[int]int{}
	var slowest time.Duration
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range logins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			form := url.Values{"username": {fmt.Sprintf("nobody-%d-%s", i, apptest.RandomName(8))}, "password": {"guess " + strconv.Itoa(i)}}
			began := time.Now()
			resp, _ := target.post(t, "/admin/login/", form)
			mu.Lock()
			statuses[resp.StatusCode]++
			slowest = max(slowest, time.Since(began))
			mu.Unlock()
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	close(start)

	var indexTimes []time.Duration
	for flooding := true; flooding || len(indexTimes) < 5; {
		select {
		case <-done:
			flooding = false
		default:
		}
		began := time.Now()
		status, _ := other.get(t, "/polls/")
		took := time.Since(began)
		indexTimes = append(indexTimes, took)
		if status != http.StatusOK || took > time.Second {
			t.Errorf("the other tenant's index during the flood: got %d in %v, want 200 within 1s", status, took)
		}
	}
	<-done
	peak := procStatusKB(t, "VmHWM")
	t.Logf("%d logins: %v, slowest %v; resident %d MB before, peak %d MB (+%d MB); other tenant's index %d times, slowest %v",
		logins, statuses, slowest, before/1024, peak/1024, (peak-before)/1024, len(indexTimes), maxOf(indexTimes))
	if statuses[http.StatusOK]+statuses[http.StatusServiceUnavailable] != logins {
		t.Errorf("statuses: got %v, want each login answered with the form (200) or busy (503)", statuses)
	}
	if grew := (peak - before) / 1024; grew >= 150 {
		t.Errorf("peak resident memory during the flood: got +%d MB, want less than 150 MB", grew)
	}
}

func maxOf(ds []time.Duration) time.Duration {
	var m time.Duration
	for _, d := range ds {
		m = max(m, d)
	}
	return m
}

// TestLoginHashesWithoutHoldingAConnection: while a login's hash runs, the
// tenant's only connection is free: another request of the same tenant is
// served at once instead of waiting for it (and getting 503 busy).
func TestLoginHashesWithoutHoldingAConnection(t *testing.T) {
	hasher := auth.NewHasher(1)
	hashing, release := make(chan struct{}), make(chan struct{})
	hasher.Started = func() {
		hashing <- struct{}{}
		<-release
	}
	srv := apptest.NewServerWith(t, apptest.Options{Hasher: hasher, Config: func(c *config.Config) {
		c.Tenancy.MaxConnsPerTenant = 1
		c.Server.RequestTimeout = time.Second
	}})
	s := site{Tenant: apptest.NewTenant(t), srv: srv, client: srv.Client(t)}
	s.addUser(t, superuser)
	apptest.CSRF(t, s.client, s.Domain, "/admin/login/")

	login := make(chan int)
	go func() {
		resp, _ := s.post(t, "/admin/login/", url.Values{"username": {superuser.name}, "password": {superuser.password}})
		login <- resp.StatusCode
	}()
	<-hashing
	status, body := s.browser(t).get(t, "/polls/")
	close(release)
	if status != http.StatusOK {
		t.Errorf("the same tenant's index while a login hashes: got %d, want 200; body:\n%s", status, body)
	}
	if got := <-login; got != http.StatusSeeOther {
		t.Errorf("the login: got %d, want 303", got)
	}
}

// TestLoginWithoutAHashingSlotIsBusy: when no slot comes free within the
// request's budget the visitor gets the busy page (503, Retry-After), the
// attempt is not counted as a failure, and nothing was checked.
func TestLoginWithoutAHashingSlotIsBusy(t *testing.T) {
	hasher := auth.NewHasher(1)
	hashing, release := make(chan struct{}), make(chan struct{})
	var hashes atomic.Int64
	hasher.Started = func() {
		if hashes.Add(1) == 1 { // the first hash holds the only slot until released
			hashing <- struct{}{}
			<-release
		}
	}
	srv := apptest.NewServerWith(t, apptest.Options{Hasher: hasher, Config: func(c *config.Config) {
		c.Server.RequestTimeout = 200 * time.Millisecond
	}})
	s := site{Tenant: apptest.NewTenant(t), srv: srv, client: srv.Client(t)}
	s.addUser(t, superuser)
	holder := s.browser(t)
	apptest.CSRF(t, holder.client, holder.Domain, "/admin/login/")
	held := make(chan struct{})
	go func() {
		defer close(held)
		holder.post(t, "/admin/login/", url.Values{"username": {"someone"}, "password": {"holds the slot"}})
	}()
	<-hashing // the one slot is taken until release
	// More than the address's limit: busy attempts are not failures.
	for i := range 6 {
		resp, body := s.post(t, "/admin/login/", url.Values{"username": {superuser.name}, "password": {superuser.password}})
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" || !strings.Contains(body, "busy") {
			t.Fatalf("login %d with no hashing slot: got %d, Retry-After %q, want 503 busy with Retry-After 1; body:\n%s",
				i+1, resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	}
	close(release)
	<-held
	if to := s.postRedirect(t, "/admin/login/", url.Values{"username": {superuser.name}, "password": {superuser.password}}); to != "/admin/" {
		t.Errorf("login once a slot is free: got redirect to %q, want /admin/", to)
	}
	if hasher.Runs() != 2 {
		t.Errorf("hashes run: got %d, want 2 (the holder's and the last login)", hasher.Runs())
	}
	if !strings.Contains(srv.Logs.String(), "auth.hash_concurrency") {
		t.Errorf("log: got no line naming auth.hash_concurrency, want the busy refusals logged with the limit")
	}
}
