package web

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestTenantRatesForgetIdleTenants: a tenant's bucket goes once it is full
// again, so the limit's memory follows the tenants busy in the last second;
// a tenant that spent its burst keeps its bucket, and stays limited.
func TestTenantRatesForgetIdleTenants(t *testing.T) {
	start := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	clock := start
	r := newTenantRates(10) // 10 requests/s, a burst of 10
	r.now = func() time.Time { return clock }
	var limited *limitError

	for i := range 1000 {
		if err := r.allow(fmt.Sprintf("tenant_%d", i)); err != nil {
			t.Fatalf("a tenant's first request was refused: %v", err)
		}
	}
	clock = start.Add(900 * time.Millisecond)
	for i := range 10 {
		if err := r.allow("hot"); err != nil {
			t.Fatalf("request %d of the hot tenant's burst: %v", i+1, err)
		}
	}
	if err := r.allow("hot"); !errors.As(err, &limited) {
		t.Fatalf("the 11th request at once at 10/s: %v, want refused", err)
	}
	if n := r.buckets(); n != 1001 {
		t.Fatalf("%d buckets after 1,001 tenants' requests, want 1001", n)
	}

	// A second after the first requests the quiet tenants' buckets are full
	// again and dropped; the hot tenant's has refilled one token in 0.1 s.
	clock = start.Add(rateSweepEvery)
	if err := r.allow("hot"); err != nil {
		t.Fatalf("the hot tenant's refilled token: %v", err)
	}
	if n := r.buckets(); n != 1 {
		t.Fatalf("%d buckets after the sweep, want only the hot tenant's", n)
	}
	if err := r.allow("hot"); !errors.As(err, &limited) {
		t.Fatalf("the hot tenant right after the sweep: %v, want still refused (a fresh bucket would let it through)", err)
	}
}

// buckets is how many tenants have a bucket now.
func (r *tenantRates) buckets() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.by)
}
