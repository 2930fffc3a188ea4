package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"polls/app/apptest"
	"polls/app/database"
	"polls/app/dbmigrate"
	"polls/app/embeddedpg"
	"polls/app/tenant"
)

// TestPostgreSQLRestartMidLoadLosesNoVote restarts a private PostgreSQL while
// votes pour in: every vote answered 303 must be counted, none counted
// without a 303, and none answered with a 500 (the database being away is a
// 503 with Retry-After). /readyz says so while it is down, and the site
// serves again once it is back.
func TestPostgreSQLRestartMidLoadLosesNoVote(t *testing.T) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "polls-restart-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil { // the server runs unprivileged when tests run as root
		t.Fatal(err)
	}
	opts := embeddedpg.Options{DataDir: dir + "/pgdata", Fast: true, Database: "polls"}
	pg, err := embeddedpg.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Stop(context.Background()) })
	dbURL := pg.URL("polls")
	if _, err := dbmigrate.Shared(ctx, dbURL); err != nil {
		t.Fatal(err)
	}
	db, err := database.Open(ctx, dbURL, 20)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	site := tenant.NewTenant{Schema: "restarted", Domain: "restarted.test", Name: "Restarted"}
	roles, err := tenant.ResolveRoles(ctx, db.SQL, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := (&tenant.Provisioner{SQL: db.SQL, URL: dbURL, Roles: roles}).Create(ctx, site); err != nil {
		t.Fatal(err)
	}
	countVotes := func() int {
		t.Helper()
		tx, err := tenant.Begin(ctx, db.SQL, site.Schema)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		var votes int
		if err := tx.Gorm(ctx, db.Gorm).Raw(`SELECT coalesce(sum(votes), 0) FROM polls_choice`).Scan(&votes).Error; err != nil {
			t.Fatal(err)
		}
		return votes
	}
	tx, err := tenant.Begin(ctx, db.SQL, site.Schema)
	if err != nil {
		t.Fatal(err)
	}
	err = tx.Gorm(ctx, db.Gorm).Transaction(func(g *gorm.DB) error {
		if err := g.Exec(`INSERT INTO polls_question (id, question_text, pub_date) VALUES (1, 'Still there?', now() - interval '1 hour')`).Error; err != nil {
			return err
		}
		return g.Exec(`INSERT INTO polls_choice (id, question_id, choice_text) VALUES (1, 1, 'yes')`).Error
	})
	if err == nil {
		err = tx.Commit(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}

	srv := apptest.NewServerWith(t, apptest.Options{DB: db, Home: db})
	client := srv.Client(t)
	token := apptest.CSRF(t, client, site.Domain, "/polls/")
	form := url.Values{"choice": {"1"}, "csrfmiddlewaretoken": {token}}
	var accepted atomic.Int64
	milestones := make(chan int64, 64) // each 303, so the test can wait for progress
	votes := startHammer(t, 8, func() (*http.Response, error) { return client.PostForm("http://"+site.Domain+"/polls/1/vote/", form) },
		func(status int) {
			if status == http.StatusSeeOther {
				select {
				case milestones <- accepted.Add(1):
				default:
				}
			}
		})
	waitFor := func(n int64) {
		t.Helper()
		timeout := time.After(time.Minute) // a safety net: votes come by the hundred a second
		for {
			select {
			case got := <-milestones:
				if got >= n {
					return
				}
			case <-timeout:
				t.Fatalf("only %d votes answered 303 after a minute, want %d", accepted.Load(), n)
			}
		}
	}
	waitFor(50)
	if err := pg.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	status, body := apptest.Get(t, srv.Client(t), site.Domain, "/readyz")
	if status != http.StatusServiceUnavailable || !strings.HasPrefix(body, "not ready: ") {
		t.Errorf("/readyz with PostgreSQL down: got %d %q, want 503 saying why", status, body)
	}
	if pg, err = embeddedpg.Start(ctx, opts); err != nil {
		t.Fatal(err)
	}
	before := accepted.Load()
	waitFor(before + 50) // served again after the restart
	statuses := votes.stop()

	for status, n := range statuses {
		if status != http.StatusSeeOther && status != http.StatusServiceUnavailable {
			t.Errorf("got status %d %d times, want only 303 or 503", status, n)
		}
	}
	if counted := countVotes(); int64(counted) != accepted.Load() {
		t.Fatalf("%d votes counted, %d answered 303", counted, accepted.Load())
	}
	t.Logf("answers across the restart: %v", statuses)
}
