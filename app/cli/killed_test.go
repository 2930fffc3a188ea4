package cli_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
)

// TestAKilledCloneIsNeverServedAndARerunFinishes kills -9 a clonetenant
// while it waits for a lock on its source, with the new tenant registered
// and its schema and role made: the clone's domain is never served, and the
// same command run again clears what the killed one left and finishes.
func TestAKilledCloneIsNeverServedAndARerunFinishes(t *testing.T) {
	ctx := context.Background()
	src := apptest.NewTenant(t)
	src.AddQuestion(t, 1, "Survives a kill?", "-1 hour", apptest.Choice{ID: 1, Text: "Yes", Votes: 4})
	schema, domain := "t_"+apptest.RandomName(10), "killed-"+apptest.RandomName(6)+".test"
	t.Cleanup(func() { run(t, nil, "deletetenant", "--schema", schema, "--no-input") })
	args := []string{"clonetenant", "--from", src.Schema, "--schema", schema, "--domain", domain, "--with-data"}

	db := apptest.DB(t).SQL
	holder, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	lock, err := holder.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	if _, err := lock.Exec(`LOCK TABLE ` + pgx.Identifier{src.Schema, "polls_question"}.Sanitize() + ` IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}

	child := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	child.Env = append(os.Environ(), childEnv+"=1", "POLLS_DATABASE_URL="+apptest.URL(t))
	var out strings.Builder
	child.Stdout, child.Stderr = &out, &out
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	waiting := func() bool {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE %'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	for deadline := time.Now().Add(30 * time.Second); !waiting(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			child.Process.Kill()
			child.Wait()
			t.Fatalf("clonetenant never reached its lock on the source:\n%s", out.String())
		}
	}
	if err := child.Process.Kill(); err != nil { // SIGKILL: no cleanup runs
		t.Fatal(err)
	}
	_ = child.Wait()
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}

	var ready bool
	if err := db.QueryRow(`SELECT ready FROM public.tenants WHERE schema_name = $1`, schema).Scan(&ready); err != nil || ready {
		t.Fatalf("after the kill the clone's row is ready=%v (%v), want a row not ready", ready, err)
	}
	srv := apptest.NewServer(t)
	if status, _ := apptest.Get(t, srv.Client(t), domain, "/polls/"); status != http.StatusNotFound {
		t.Fatalf("the killed clone's domain answered %d, want 404", status)
	}
	if out, code := run(t, nil, args...); code != 0 {
		t.Fatalf("the rerun exited %d:\n%s", code, out)
	}
	if status, body := apptest.Get(t, srv.Client(t), domain, "/polls/"); status != http.StatusOK || !strings.Contains(body, "Survives a kill?") {
		t.Fatalf("after the rerun the clone answered %d:\n%s", status, body)
	}
}
