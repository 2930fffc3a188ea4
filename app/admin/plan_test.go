package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/tenant"
)

// changePlan changes the site's plan and waits until its running server
// shows notice on the login page, or no longer does when shown is false (the
// registry's notification takes moments).
func (s site) changePlan(t *testing.T, ch tenant.PlanChange, notice string, shown bool) {
	t.Helper()
	if _, err := tenant.ChangePlan(context.Background(), apptest.DB(t).SQL, s.Schema, ch, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, body := s.browser(t).get(t, "/admin/login/"); strings.Contains(visible(body), notice) == shown {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the login page still does not show %q = %v after 10s", notice, shown)
		}
		time.Sleep(10 * time.Millisecond) // polling a running server for a change made elsewhere
	}
}

const (
	noticeSuspended = "This site is suspended"
	noticeTrial     = "This site is on trial."
)

// TestSuspendedSiteAdmitsOnlySuperusers: while a site is suspended its
// superusers still log in (and see why), its other staff cannot, and a
// staff session already open is sent back to the login page.
func TestSuspendedSiteAdmitsOnlySuperusers(t *testing.T) {
	s := newSite(t)
	s.addUser(t, superuser)
	staff := s.browser(t).loggedInAs(t, staffUser)
	yes := true
	s.changePlan(t, tenant.PlanChange{Suspended: &yes}, noticeSuspended, true)

	admin := s.browser(t)
	admin.login(t, superuser)
	if body := admin.getOK(t, "/admin/"); !strings.Contains(visible(body), noticeSuspended) {
		t.Errorf("the admin index of a suspended site does not say so:\n%s", body)
	}
	resp, body := s.browser(t).post(t, "/admin/login/", url.Values{"username": {staffUser.name}, "password": {staffUser.password}})
	if resp.StatusCode != http.StatusOK || errorNote(body) != "This site is suspended: only its superusers may log in." {
		t.Errorf("staff login on a suspended site: got %d, %q; want the form with the reason", resp.StatusCode, errorNote(body))
	}
	if status, _ := staff.get(t, "/admin/"); status != http.StatusFound {
		t.Errorf("an open staff session on a suspended site: got %d, want 302 to the login page", status)
	}
	no := false
	s.changePlan(t, tenant.PlanChange{Suspended: &no}, noticeSuspended, false)
	if status, _ := staff.get(t, "/admin/"); status != http.StatusOK {
		t.Errorf("the staff session after resuming: got %d, want 200", status)
	}
}

func TestTrialSiteSaysSoInTheAdmin(t *testing.T) {
	s := newSite(t).loggedInAs(t, superuser)
	if body := s.getOK(t, "/admin/"); strings.Contains(visible(body), noticeTrial) {
		t.Fatalf("a paid site's admin says it is on trial")
	}
	yes := true
	s.changePlan(t, tenant.PlanChange{OnTrial: &yes}, noticeTrial, true)
	if body := s.getOK(t, "/admin/"); !strings.Contains(visible(body), noticeTrial) {
		t.Errorf("a trial site's admin index does not say so:\n%s", body)
	}
}
