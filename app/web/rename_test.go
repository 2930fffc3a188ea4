package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
	"polls/app/tenant"
)

// TestRenameWhileServing renames a tenant while its pages and votes are in
// full use: every request is answered 200 or 303 (a request that met the old
// name under a route still cached runs again under the new one), every 303
// vote is counted, and afterwards the tenant lives under its new schema and
// role only, with its data.
func TestRenameWhileServing(t *testing.T) {
	srv := apptest.NewServer(t)
	b := newBallot(t, apptest.NewTenant(t), ``)
	ctx := context.Background()
	db := apptest.DB(t).SQL
	client := srv.Client(t)
	var votes atomic.Int64
	voter := b.voter(t, client)
	page := fmt.Sprintf("http://%s/polls/%d/", b.Domain, b.question)
	reads := startHammer(t, 3, func() (*http.Response, error) { return client.Get(page) }, nil)
	writes := startHammer(t, 3, voter, func(status int) {
		if status == http.StatusSeeOther {
			votes.Add(1)
		}
	})
	renamed := "r_" + apptest.RandomName(10)
	t.Cleanup(func() {
		_, _ = db.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{renamed}.Sanitize()+" CASCADE")
		_, _ = db.ExecContext(ctx, "DELETE FROM public.tenants WHERE schema_name = $1", renamed)
		apptest.DropRole(t, db, apptest.Roles(t).For(renamed))
	})
	if err := tenant.Rename(ctx, db, apptest.Roles(t), b.Schema, renamed); err != nil {
		t.Fatal(err)
	}
	waitForStatus(t, srv, b.Domain, "/polls/", http.StatusOK, 10*time.Second) // served after the rename too
	readStatuses, writeStatuses := reads.stop(), writes.stop()
	for status, n := range readStatuses {
		if status != http.StatusOK {
			t.Errorf("page during the rename: got %d %d times, want only 200; errors logged:\n%s", status, n, errorLines(srv.Logs.String()))
		}
	}
	for status, n := range writeStatuses {
		if status != http.StatusSeeOther {
			t.Errorf("vote during the rename: got %d %d times, want only 303; errors logged:\n%s", status, n, errorLines(srv.Logs.String()))
		}
	}

	after := apptest.Tenant{Schema: renamed, Domain: b.Domain, Name: b.Name}
	var counted int64
	after.Scan(t, &counted, `SELECT votes FROM polls_choice WHERE id = ?`, b.choice)
	if counted != votes.Load() {
		t.Errorf("%d votes counted, %d answered 303", counted, votes.Load())
	}
	var owner string
	if err := db.QueryRowContext(ctx, `SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = $1`, renamed).Scan(&owner); err != nil || owner != apptest.Roles(t).For(renamed) {
		t.Errorf("the renamed schema is owned by %q (%v), want %s", owner, err, apptest.Roles(t).For(renamed))
	}
	var leftovers int
	if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = $1) + (SELECT count(*) FROM pg_roles WHERE rolname = $2)`,
		b.Schema, b.Role).Scan(&leftovers); err != nil || leftovers != 0 {
		t.Errorf("the old schema and role: %d left (%v), want none", leftovers, err)
	}
	if status, body := apptest.Get(t, srv.Client(t), b.Domain, fmt.Sprintf("/polls/%d/results/", b.question)); status != http.StatusOK || !strings.Contains(body, fmt.Sprintf("%d vote", counted)) {
		t.Errorf("results after the rename: got %d, want 200 with %d votes", status, counted)
	}
}
