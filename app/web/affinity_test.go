package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/database"
)

// TestRequestsUseThePoolsAffinity: serve's request path takes its
// connections through the pool's Affinity when database.affinity is on (a
// tenant's second request gets the connection its first used), and through
// database/sql alone when it is off (nothing kept once requests end).
func TestRequestsUseThePoolsAffinity(t *testing.T) {
	tn := apptest.NewTenant(t)
	for _, on := range []bool{true, false} {
		o := database.Defaults(4)
		o.Affinity = on
		db, err := database.OpenWith(context.Background(), apptest.URL(t), o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if on { // parked for a minute, not a second: a busy machine must not expire one between requests
			db.Affinity.Close()
			db.Affinity = database.NewAffinity(db.SQL, time.Minute)
		}
		client := apptest.NewServerOn(t, db).Client(t)
		for range 3 {
			if status, _ := apptest.Get(t, client, tn.Domain, "/polls/"); status != http.StatusOK {
				t.Fatalf("affinity %v: got %d, want 200", on, status)
			}
		}
		if !on {
			if db.Affinity != nil || db.SQL.Stats().InUse != 0 {
				t.Errorf("affinity off: %d connections kept after the requests, want none", db.SQL.Stats().InUse)
			}
			continue
		}
		if s, _ := db.Affinity.Stats(); s.Hits < 2 {
			t.Errorf("affinity on: %+v, want the second and third requests on the first one's connection", s)
		}
	}
}
