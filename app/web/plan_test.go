package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/tenant"
)

// waitForStatus fetches host+path until it answers want: a registry change
// reaches a running server through its notification, within moments. It
// fails after timeout, a safety net.
func waitForStatus(t *testing.T, srv *apptest.Server, host, path string, want int, timeout time.Duration) string {
	t.Helper()
	client := srv.Client(t)
	deadline := time.Now().Add(timeout)
	for {
		status, body := apptest.Get(t, client, host, path)
		if status == want {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s%s: still %d after %v, want %d", host, path, status, timeout, want)
		}
		time.Sleep(10 * time.Millisecond) // polling a running server for a change made elsewhere
	}
}

// TestSuspendedSiteIsClosedToVisitors: suspended by hand or past its
// paid_until without a trial, a site's public pages answer 402 in the site's
// look, its admin login page still answers, and it serves again once resumed.
func TestSuspendedSiteIsClosedToVisitors(t *testing.T) {
	srv := apptest.NewServer(t)
	a := quietTenant(t)
	ctx := context.Background()
	db := apptest.DB(t).SQL
	change := func(ch tenant.PlanChange) {
		t.Helper()
		if _, err := tenant.ChangePlan(ctx, db, a.Schema, ch, false, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	yes, no := true, false
	change(tenant.PlanChange{Suspended: &yes})
	body := waitForStatus(t, srv, a.Domain, "/polls/", http.StatusPaymentRequired, 10*time.Second)
	if !strings.Contains(body, "This site is suspended.") || !strings.Contains(body, a.Name) || strings.Contains(body, "quiet "+a.Schema) {
		t.Fatalf("the suspended page should say so in the site's look and show none of its content:\n%s", body)
	}
	if status, _ := apptest.Get(t, srv.Client(t), a.Domain, "/admin/login/"); status != http.StatusOK {
		t.Fatalf("the admin login of a suspended site: got %d, want 200", status)
	}
	change(tenant.PlanChange{Suspended: &no})
	waitForStatus(t, srv, a.Domain, "/polls/", http.StatusOK, 10*time.Second)

	yesterday := time.Now().UTC().AddDate(0, 0, -1)
	change(tenant.PlanChange{PaidUntil: &yesterday, OnTrial: &no})
	waitForStatus(t, srv, a.Domain, "/polls/", http.StatusPaymentRequired, 10*time.Second)
	change(tenant.PlanChange{OnTrial: &yes}) // a trial keeps it open
	waitForStatus(t, srv, a.Domain, "/polls/", http.StatusOK, 10*time.Second)
}

// TestPlanDates: paid_until is the last paid day; the site closes at the
// start of the next day, UTC.
func TestPlanDates(t *testing.T) {
	day := time.Date(2030, 5, 6, 0, 0, 0, 0, time.UTC)
	p := tenant.Plan{PaidUntil: &day}
	for _, tt := range []struct {
		now  time.Time
		want bool
	}{
		{time.Date(2030, 5, 6, 23, 59, 59, 0, time.UTC), false},
		{time.Date(2030, 5, 7, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2030, 5, 7, 1, 0, 0, 0, time.FixedZone("UTC+2", 2*3600)), false}, // 23:00 UTC on the 6th
	} {
		if got := p.SuspendedAt(tt.now); got != tt.want {
			t.Errorf("paid until %s, at %s: suspended %v, want %v", day.Format(time.DateOnly), tt.now, got, tt.want)
		}
	}
	if (tenant.Plan{PaidUntil: &day, OnTrial: true}).SuspendedAt(day.AddDate(1, 0, 0)) {
		t.Error("a tenant on trial is suspended by its date")
	}
	if !(tenant.Plan{Suspended: true}).SuspendedAt(day) {
		t.Error("a tenant suspended by hand is not suspended")
	}
}
