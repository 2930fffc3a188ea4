package cli_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"polls/app/apptest"
	"polls/app/database"
	"polls/app/dbmigrate"
	"polls/app/tenant"
	"polls/migrations"
)

// TestCitusCommandsWithoutCitus: on a single PostgreSQL the Citus commands
// say there is no cluster, and a bad node is a usage error.
func TestCitusCommandsWithoutCitus(t *testing.T) {
	tn := apptest.NewTenant(t)
	for _, args := range [][]string{{"movetenant", "--schema", tn.Schema, "--node", "127.0.0.1:57002"}, {"rebalance"}} {
		out, code := run(t, nil, args...)
		if code != 1 || !strings.Contains(out, "no citus extension") {
			t.Errorf("%s: exit %d, want 1 saying there is no citus extension:\n%s", args[0], code, out)
		}
	}
	out, code := run(t, nil, "movetenant", "--schema", tn.Schema, "--node", "worker")
	if code != 2 || !strings.Contains(out, "HOST:PORT") {
		t.Errorf("movetenant --node worker: exit %d, want 2 asking for HOST:PORT:\n%s", code, out)
	}
	out, _ = run(t, nil, "tenants")
	if strings.Contains(out, "citus") {
		t.Errorf("tenants mentions citus on a single PostgreSQL:\n%s", out)
	}
}

// citusURL is the coordinator the Citus tests use, or skips them saying so.
func citusURL(t *testing.T) string {
	u := os.Getenv("POLLS_TEST_CITUS_URL")
	if u == "" {
		t.Skip("DID NOT RUN: POLLS_TEST_CITUS_URL names no Citus coordinator (superuser URL); " +
			"`scripts/citus-cluster.sh start` starts one and `scripts/citus-cluster.sh url` prints it")
	}
	return u
}

// placement reads `polls tenants --json`: each tenant's node.
func placement(t *testing.T, env map[string]string) map[string]string {
	t.Helper()
	out, code := run(t, env, "tenants", "--json")
	if code != 0 {
		t.Fatalf("tenants --json: exit %d\n%s", code, out)
	}
	var rows []struct{ Schema, Node string }
	if err := json.Unmarshal([]byte(out[strings.Index(out, "["):]), &rows); err != nil {
		t.Fatalf("tenants --json: %v\n%s", err, out)
	}
	nodes := map[string]string{}
	for _, r := range rows {
		nodes[r.Schema] = r.Node
	}
	return nodes
}

// asTenant runs fn in a transaction acting as role in schema, as polls does.
func asTenant(ctx context.Context, db *sql.DB, role, schema string, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL ROLE `+pgx.Identifier{role}.Sanitize()); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `SELECT set_config('search_path', $1, true)`, pgx.Identifier{schema}.Sanitize()); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// TestCitusRefusesWithShardingOff: with schema-based sharding off (here for
// polls' sessions only, by a URL parameter) createtenant refuses in one line
// and leaves nothing.
func TestCitusRefusesWithShardingOff(t *testing.T) {
	curl := citusURL(t)
	off := curl + "&citus.enable_schema_based_sharding=off"
	if !strings.Contains(curl, "?") {
		off = curl + "?citus.enable_schema_based_sharding=off"
	}
	env := map[string]string{"POLLS_DATABASE_URL": off}
	s := "ct" + apptest.RandomName(6) + "_off"
	out, code := run(t, env, "createtenant", "--schema", s, "--domain", strings.ReplaceAll(s, "_", "-")+".test")
	t.Logf("createtenant with schema-based sharding off: exit %d\n%s", code, out)
	if code != 1 || !strings.Contains(out, "schema-based sharding off") || !strings.Contains(out, "citus.enable_schema_based_sharding is off") {
		t.Fatalf("want exit 1, the start line saying sharding is off and the refusal")
	}
	out, _ = run(t, map[string]string{"POLLS_DATABASE_URL": curl}, "tenants")
	if strings.Contains(out, s) {
		t.Errorf("the refused tenant is listed:\n%s", out)
	}
}

// TestCitusCluster runs polls on a Citus coordinator with two workers:
// tenants spread over both, served, voted on, administered, kept apart by
// PostgreSQL across workers, moved while under load without a failed
// request or a lost vote, rebalanced, migrated as a no-op and deleted from
// every node.
func TestCitusCluster(t *testing.T) {
	curl := citusURL(t)
	ctx := context.Background()
	env := map[string]string{"POLLS_DATABASE_URL": curl, "POLLS_SUPERUSER_PASSWORD": "citus-test-pw-7719"}
	cdb, err := database.Open(ctx, curl, 30)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cdb.Close() })
	redone := redoPlatformSchema(t, cdb.SQL)
	out, code := run(t, env, "migrate")
	if code != 0 || !strings.Contains(out, "coordinator, 2 worker(s), schema-based sharding on") {
		t.Fatalf("migrate on the coordinator: exit %d, want 0 and the citus line:\n%s", code, out)
	}
	t.Logf("polls migrate:\n%s", out)
	if redone && !strings.Contains(out, "shared (public): migrated from version 8 to ") {
		t.Fatalf("migrate did not make the platform's schema again")
	}
	// The platform's schema stays beside the registry, on the coordinator:
	// not a distributed schema, no Citus table.
	var distributed int
	if err := cdb.SQL.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM pg_dist_schema WHERE schemaid = 'polls_platform'::regnamespace)
		+ (SELECT count(*) FROM pg_dist_partition WHERE logicalrelid::regclass::text LIKE 'polls_platform.%')`).Scan(&distributed); err != nil {
		t.Fatal(err)
	}
	if distributed != 0 {
		t.Fatalf("polls_platform is distributed (%d catalog rows): it belongs on the coordinator", distributed)
	}
	t.Logf("polls_platform (shared migration 9): on the coordinator, not distributed")

	prefix := "ct" + apptest.RandomName(6)
	var schemas []string
	role := map[string]string{}
	domain := func(s string) string { return strings.ReplaceAll(s, "_", "-") + ".test" }
	for i := range 4 {
		s := fmt.Sprintf("%s_%d", prefix, i)
		out, code := run(t, env, "createtenant", "--schema", s, "--domain", domain(s), "--name", "Citus "+s)
		if code != 0 {
			t.Fatalf("createtenant %s: exit %d\n%s", s, code, out)
		}
		t.Cleanup(func() { run(t, env, "deletetenant", "--schema", s, "--no-input") })
		schemas = append(schemas, s)
		var r string
		if err := cdb.SQL.QueryRowContext(ctx, `SELECT role_name FROM public.tenants WHERE schema_name = $1`, s).Scan(&r); err != nil {
			t.Fatal(err)
		}
		role[s] = r
	}
	nodes := placement(t, env)
	for _, s := range schemas {
		t.Logf("created %s: on %s", s, nodes[s])
		if nodes[s] == "" {
			t.Fatalf("%s is on no worker: not a distributed schema", s)
		}
	}

	// All on one worker, then `polls rebalance` spreads them.
	first := nodes[schemas[0]]
	for _, s := range schemas[1:] {
		if nodes[s] != first {
			out, code := run(t, env, "movetenant", "--schema", s, "--node", first)
			if code != 0 {
				t.Fatalf("movetenant %s: exit %d\n%s", s, code, out)
			}
			t.Logf("polls movetenant --schema %s --node %s: %s", s, first, strings.TrimSpace(lastLine(out)))
		}
	}
	out, code = run(t, env, "rebalance")
	t.Logf("polls rebalance:\n%s", out)
	if code != 0 {
		t.Fatalf("rebalance: exit %d", code)
	}
	nodes = placement(t, env)
	used := map[string][]string{}
	for _, s := range schemas {
		used[nodes[s]] = append(used[nodes[s]], s)
		t.Logf("after rebalance %s: on %s", s, nodes[s])
	}
	if len(used) != 2 {
		t.Fatalf("after rebalance the tenants are on %d worker(s), want both: %v", len(used), used)
	}
	var a, b string // on different workers
	for n, ss := range used {
		if a == "" {
			a = ss[0]
		} else if nodes[a] != n {
			b = ss[0]
		}
	}

	// Content, a site, a vote, the admin.
	for _, s := range []string{a, b} {
		err := asTenant(ctx, cdb.SQL, role[s], s, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO polls_question (id, question_text, pub_date) VALUES (1, 'Scaled out?', now() - interval '1 hour');
				`)
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO polls_choice (id, question_id, choice_text) VALUES (10, 1, 'Yes'), (11, 1, 'No')`)
			return err
		})
		if err != nil {
			t.Fatalf("content of %s: %v", s, err)
		}
	}
	if out, code := run(t, env, "createsuperuser", "--tenant", a, "--username", "admin", "--email", "admin@example.com", "--no-input"); code != 0 {
		t.Fatalf("createsuperuser: exit %d\n%s", code, out)
	}
	srv := apptest.NewServerWith(t, apptest.Options{DB: cdb, Home: cdb})
	c := srv.Client(t)
	for _, s := range []string{a, b} {
		status, body := apptest.Get(t, c, domain(s), "/polls/")
		if status != http.StatusOK || !strings.Contains(body, "Scaled out?") {
			t.Fatalf("GET %s/polls/: %d\n%s", domain(s), status, body)
		}
		t.Logf("GET http://%s/polls/ (%s, on %s): %d, lists the question", domain(s), s, nodes[s], status)
	}
	vote := url.Values{"csrfmiddlewaretoken": {apptest.CSRF(t, c, domain(a), "/polls/")}, "choice": {"10"}}
	if resp, body := apptest.Post(t, c, domain(a), "/polls/1/vote/", vote); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("vote: %d\n%s", resp.StatusCode, body)
	}
	if _, body := apptest.Get(t, c, domain(a), "/polls/1/results/"); !strings.Contains(body, "Yes -- 1 vote") {
		t.Fatalf("results after one vote:\n%s", body)
	}
	t.Logf("voted on %s: results say Yes -- 1 vote", a)
	login := url.Values{"csrfmiddlewaretoken": {apptest.CSRF(t, c, domain(a), "/admin/login/")}, "username": {"admin"}, "password": {env["POLLS_SUPERUSER_PASSWORD"]}}
	if resp, body := apptest.Post(t, c, domain(a), "/admin/login/", login); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/" {
		t.Fatalf("admin login: %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if status, body := apptest.Get(t, c, domain(a), "/admin/polls/question/"); status != http.StatusOK || !strings.Contains(body, "Scaled out?") {
		t.Fatalf("admin question list: %d\n%s", status, body)
	}
	t.Logf("admin login on %s and its question list: ok", a)

	// Isolation across workers: a's role may read a, and is refused b.
	err = asTenant(ctx, cdb.SQL, role[a], a, func(tx *sql.Tx) error {
		var n int
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM polls_question`).Scan(&n)
	})
	if err != nil {
		t.Fatalf("%s reading its own tables: %v", a, err)
	}
	err = asTenant(ctx, cdb.SQL, role[a], a, func(tx *sql.Tx) error {
		var n int
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM `+pgx.Identifier{b, "polls_question"}.Sanitize()).Scan(&n)
	})
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		t.Fatalf("%s's role reading %s (on %s): %v, want 42501", a, b, nodes[b], err)
	}
	t.Logf("role of %s (on %s) reading %s (on %s): %s (SQLSTATE %s)", a, nodes[a], b, nodes[b], pgErr.Message, pgErr.Code)
	// And on b's worker itself, where b's tables are shards: PostgreSQL
	// there refuses a's role too.
	var shard string
	if err := cdb.SQL.QueryRowContext(ctx, `SELECT shard_name(logicalrelid, shardid) FROM pg_dist_shard WHERE logicalrelid = $1::regclass`,
		pgx.Identifier{b, "polls_question"}.Sanitize()).Scan(&shard); err != nil {
		t.Fatal(err)
	}
	wcfg, err := pgx.ParseConfig(curl)
	if err != nil {
		t.Fatal(err)
	}
	wnode := strings.Split(nodes[b], ":")
	wcfg.Host, wcfg.User = wnode[0], role[a]
	fmt.Sscan(wnode[1], &wcfg.Port)
	wconn, err := pgx.ConnectConfig(ctx, wcfg)
	if err != nil {
		t.Fatalf("%s's role connecting to %s: %v", a, nodes[b], err)
	}
	defer wconn.Close(ctx)
	var n int
	err = wconn.QueryRow(ctx, `SELECT count(*) FROM `+shard).Scan(&n)
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		t.Fatalf("%s's role reading shard %s on worker %s: %v, want 42501", a, shard, nodes[b], err)
	}
	t.Logf("role of %s on worker %s reading shard %s: %s (SQLSTATE %s)", a, nodes[b], shard, pgErr.Message, pgErr.Code)

	moveUnderLoad(t, env, cdb.SQL, srv, a, domain(a), nodes[b])

	// A role made before Citus (NOLOGIN) is upgraded by migrate, which
	// otherwise has nothing to do.
	if _, err := cdb.SQL.ExecContext(ctx, `ALTER ROLE `+pgx.Identifier{role[b]}.Sanitize()+` NOLOGIN`); err != nil {
		t.Fatal(err)
	}
	out, code = run(t, env, "migrate")
	t.Logf("polls migrate again:\n%s", out)
	if code != 0 || !strings.Contains(out, b+": role "+role[b]+" may now log in") || strings.Contains(out, "migrated from") {
		t.Fatalf("migrate: exit %d, want the role upgraded and nothing migrated", code)
	}
	if status, _ := apptest.Get(t, srv.Client(t), domain(b), "/polls/"); status != http.StatusOK {
		t.Fatalf("%s after migrate: %d", b, status)
	}

	// A release's new migration with an index, on the cluster: sent whole
	// (as golang-migrate and the runner do on a single PostgreSQL) Citus
	// refuses it; one statement at a time it applies, recorded.
	c3 := schemas[3]
	if c3 == a || c3 == b {
		c3 = schemas[1]
	}
	next := migrations.TenantWith(map[string]string{"000900_tags.up.sql": "BEGIN;\n-- a release's migration; with a comment\n" +
		"ALTER TABLE polls_question ADD COLUMN tag text NOT NULL DEFAULT 'a;b';\nCREATE INDEX polls_question_tag ON polls_question (tag);\nCOMMIT;\n"})
	targets := []dbmigrate.Target{{Schema: c3, Role: role[c3]}}
	var whole error
	sum := dbmigrate.Run(ctx, curl, targets, dbmigrate.Options{Jobs: 1, Migrations: next, Progress: func(_, _ int, _ dbmigrate.Result, err error) { whole = err }})
	t.Logf("a new migration sent whole to %s: %+v, %v", c3, sum, whole)
	if sum.Failed != 1 || whole == nil || !strings.Contains(whole.Error(), "cannot insert multiple commands") {
		t.Errorf("sent whole, the migration %+v, %v; want Citus's refusal, which the one-statement mode exists for", sum, whole)
	}
	sum = dbmigrate.Run(ctx, curl, targets, dbmigrate.Options{Jobs: 1, Migrations: next, OneStatement: true, Registry: tenant.VersionRegistry{SQL: cdb.SQL},
		Progress: func(_, _ int, res dbmigrate.Result, err error) {
			t.Logf("one statement at a time: %s %d -> %d, %v", res.Schema, res.From, res.To, err)
		}})
	if sum.Migrated != 1 {
		t.Fatalf("one statement at a time: %+v", sum)
	}
	var tag string
	if err := asTenant(ctx, cdb.SQL, role[c3], c3, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO polls_question (question_text, pub_date) VALUES ('q', now()) RETURNING tag`).Scan(&tag)
	}); err != nil || tag != "a;b" {
		t.Errorf("the new column on %s's worker: %q, %v", c3, tag, err)
	}

	importPath(t, cdb.SQL, curl, next, env)
	signupAndPlatformAdmin(t, env, cdb.SQL)

	// deletetenant cleans every node.
	out, code = run(t, env, "deletetenant", "--schema", b, "--no-input")
	if code != 0 {
		t.Fatalf("deletetenant: exit %d\n%s", code, out)
	}
	rows, err := cdb.SQL.QueryContext(ctx, `SELECT n.nodename || ':' || n.nodeport, r.result FROM run_command_on_all_nodes(
		format('SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = %L) + (SELECT count(*) FROM pg_roles WHERE rolname = %L)', $1::text, $2::text)) r
		JOIN pg_dist_node n USING (nodeid) ORDER BY n.nodeport`, b, role[b])
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var node, result string
		if err := rows.Scan(&node, &result); err != nil {
			t.Fatal(err)
		}
		t.Logf("after deletetenant %s, node %s: schema and role count %s", b, node, result)
		if result != "0" {
			t.Errorf("node %s still has %s's schema or role (%s)", node, b, result)
		}
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// moveUnderLoad moves schema to node with `polls movetenant` while voters
// read and vote on its site, and checks that no request failed and every
// vote sent was counted.
func moveUnderLoad(t *testing.T, env map[string]string, db *sql.DB, srv *apptest.Server, schema, host, node string) {
	t.Helper()
	votes := func() int64 {
		var n int64
		if err := db.QueryRow(`SELECT coalesce(sum(votes), 0) FROM ` + pgx.Identifier{schema, "polls_choice"}.Sanitize()).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := votes()
	var requests, failures, sent atomic.Int64
	var stop atomic.Bool
	started := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	var firstFailure atomic.Value
	for range 4 {
		c := srv.Client(t)
		form := url.Values{"csrfmiddlewaretoken": {apptest.CSRF(t, c, host, "/polls/")}, "choice": {"11"}}
		wg.Go(func() {
			for !stop.Load() {
				for _, req := range []*http.Request{apptest.NewRequest(t, http.MethodGet, host, "/polls/1/", nil), apptest.NewRequest(t, http.MethodPost, host, "/polls/1/vote/", form)} {
					requests.Add(1)
					resp, err := c.Do(req)
					ok := err == nil && (resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusSeeOther)
					if err == nil {
						resp.Body.Close()
					}
					if !ok {
						failures.Add(1)
						firstFailure.CompareAndSwap(nil, fmt.Sprintf("%s %s: %v %v", req.Method, req.URL.Path, err, resp))
						continue
					}
					if req.Method == http.MethodPost {
						sent.Add(1)
					}
					once.Do(func() { close(started) })
				}
			}
		})
	}
	<-started // the load runs before the move begins
	out, code := run(t, env, "movetenant", "--schema", schema, "--node", node)
	moved := requests.Load()
	// Then a few more from here, on the new node, before the voters stop.
	c := srv.Client(t)
	form := url.Values{"csrfmiddlewaretoken": {apptest.CSRF(t, c, host, "/polls/")}, "choice": {"11"}}
	for range 20 {
		requests.Add(2)
		if status, _ := apptest.Get(t, c, host, "/polls/1/"); status != http.StatusOK {
			failures.Add(1)
		}
		if resp, _ := apptest.Post(t, c, host, "/polls/1/vote/", form); resp.StatusCode == http.StatusSeeOther {
			sent.Add(1)
		} else {
			failures.Add(1)
		}
	}
	stop.Store(true)
	wg.Wait()
	t.Logf("polls movetenant --schema %s --node %s: exit %d: %s", schema, node, code, strings.TrimSpace(lastLine(out)))
	after := votes()
	t.Logf("move under load: %d requests (%d during the move), %d failed, %d votes sent, votes counted before %d, after %d",
		requests.Load(), moved, failures.Load(), sent.Load(), before, after)
	if code != 0 {
		t.Fatalf("movetenant: exit %d\n%s", code, out)
	}
	if f := failures.Load(); f != 0 {
		t.Errorf("%d requests failed during the move; first: %v", f, firstFailure.Load())
	}
	if after-before != sent.Load() {
		t.Errorf("%d votes sent, %d counted", sent.Load(), after-before)
	}
	if got := placement(t, env)[schema]; got != node {
		t.Errorf("%s is on %s after the move, want %s", schema, got, node)
	}
}

// redoPlatformSchema drops the platform's schema and records the shared
// migrations at 8, so that `polls migrate` makes it again on this cluster as
// on a new one (where, with schema-based sharding on, Citus made it a
// distributed schema and refused the migration). Only on a cluster whose
// platform admin has no user and whose shared version is 10; otherwise it
// leaves it, says so, and the test only checks where it is. Reports whether
// it did.
func redoPlatformSchema(t *testing.T, db *sql.DB) bool {
	t.Helper()
	var version, users int
	if err := db.QueryRow(`SELECT version FROM public.schema_migrations`).Scan(&version); err != nil || version != 10 {
		t.Logf("platform schema not made again: shared version %d (%v)", version, err)
		return false
	}
	if err := db.QueryRow(`SELECT count(*) FROM polls_platform.auth_user`).Scan(&users); err != nil || users > 0 {
		t.Logf("platform schema not made again: %d platform user(s) (%v)", users, err)
		return false
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, q := range []string{`DROP SCHEMA polls_platform CASCADE`, `UPDATE public.schema_migrations SET version = 8, dirty = false`} {
		if _, err := tx.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return true
}

// importPath builds a tenant as importdjango (and importtenant) do on a
// Citus coordinator: its tables at version 3, filled with rows, then the
// later migrations over the rows (next's 000900, whose index Citus refuses
// in one query string), one statement at a time.
func importPath(t *testing.T, db *sql.DB, curl string, next fs.FS, env map[string]string) {
	t.Helper()
	ctx := context.Background()
	roles, err := tenant.ResolveRoles(ctx, db, "")
	if err != nil {
		t.Fatal(err)
	}
	roles.Login = true
	p := &tenant.Provisioner{SQL: db, URL: curl, Isolation: tenant.IsolationRoles, Roles: roles, OneStatement: true, Migrations: next}
	s := "ct" + apptest.RandomName(6) + "_imp"
	t.Cleanup(func() { run(t, env, "deletetenant", "--schema", s, "--no-input") })
	err = p.Create(ctx, tenant.NewTenant{Schema: s, Domain: strings.ReplaceAll(s, "_", "-") + ".test", Name: "Imported", Version: 3,
		Fill: func(ctx context.Context, tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO auth_user (password, username, first_name) VALUES ('!', 'ada', 'Ada')`); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO polls_question (question_text, pub_date) VALUES ('Imported?', now())`)
			return err
		}})
	if err != nil {
		t.Fatalf("create %s at version 3 with a fill: %v", s, err)
	}
	var version int64
	var tag, first string
	if err := db.QueryRowContext(ctx, `SELECT (SELECT schema_version FROM public.tenants WHERE schema_name = $1 AND ready), q.tag, u.first_name
		FROM `+pgx.Identifier{s, "polls_question"}.Sanitize()+` q, `+pgx.Identifier{s, "auth_user"}.Sanitize()+` u`, s).Scan(&version, &tag, &first); err != nil {
		t.Fatal(err)
	}
	node := placement(t, env)[s]
	t.Logf("import path: %s built at version 3 on %s, filled, then migrated to %d one statement at a time: question tag %q, user %q", s, node, version, tag, first)
	if version != 900 || tag != "a;b" || first != "Ada" || node == "" {
		t.Fatalf("want version 900 with the filled rows and the new column's default, on a worker")
	}
}

// signupAndPlatformAdmin signs a tenant up through `polls serve`'s public
// site (a tenant created with a fill, staged on Citus), logs its owner in
// through the hand-off, and finds it, with its worker, in the platform
// admin's tenants list.
func signupAndPlatformAdmin(t *testing.T, env map[string]string, db *sql.DB) {
	t.Helper()
	addr, _, stop := startServeEnv(t, env, nil)
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	c := (&apptest.Server{URL: "http://" + addr}).Client(t)
	const main = "localhost:8080"
	sub := "cs" + apptest.RandomName(6)
	host := sub + ".localhost:8080"
	t.Cleanup(func() { run(t, env, "deletetenant", "--schema", sub, "--no-input") })
	form := url.Values{"csrfmiddlewaretoken": {apptest.CSRF(t, c, main, "/")}, "site_name": {"Signed up " + sub}, "subdomain": {sub},
		"username": {"owner"}, "email": {"owner@example.com"}, "password1": {"violet-harbour-42"}, "password2": {"violet-harbour-42"}}
	resp, body := apptest.Post(t, c, main, "/signup/", form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "http://"+host+"/admin/handoff/?token=") {
		t.Fatalf("sign-up on the cluster: %d to %q\n%s", resp.StatusCode, loc, body)
	}
	resp, _ = apptest.Do(t, c, apptest.NewRequest(t, http.MethodGet, host, strings.TrimPrefix(loc, "http://"+host), nil))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/" {
		t.Fatalf("hand-off: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if status, body := apptest.Get(t, c, host, "/admin/"); status != http.StatusOK || !strings.Contains(body, "Welcome, <strong>owner</strong>") {
		t.Fatalf("the new site's admin: %d\n%s", status, body)
	}
	node := placement(t, env)[sub]
	if node == "" {
		t.Fatalf("the signed-up tenant %s is on no worker", sub)
	}
	t.Logf("signed up %s through the public site of polls serve: on %s, its owner logged in to its admin by the hand-off", sub, node)

	op := "op" + apptest.RandomName(6)
	if out, code := run(t, env, "createsuperuser", "--platform", "--username", op, "--email", "op@example.com", "--no-input"); code != 0 {
		t.Fatalf("createsuperuser --platform: exit %d\n%s", code, out)
	}
	t.Cleanup(func() { db.Exec(`DELETE FROM polls_platform.auth_user WHERE username = $1`, op) })
	login := url.Values{"csrfmiddlewaretoken": {apptest.CSRF(t, c, main, "/admin/login/")}, "username": {op},
		"password": {env["POLLS_SUPERUSER_PASSWORD"]}, "next": {"/admin/"}}
	if resp, body := apptest.Post(t, c, main, "/admin/login/", login); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("platform admin login: %d\n%s", resp.StatusCode, body)
	}
	status, body := apptest.Get(t, c, main, "/admin/tenants/?q="+sub)
	if status != http.StatusOK || !strings.Contains(body, `<th scope="col">Node</th>`) || !strings.Contains(body, "<td>"+node+"</td>") {
		t.Fatalf("platform admin's tenants list: %d, want a Node column saying %s\n%s", status, node, body)
	}
	t.Logf("platform admin on the cluster: logged in, the tenants list shows %s on %s in its Node column", sub, node)
}
