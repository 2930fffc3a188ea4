package embeddedpg

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// testDir returns a fresh directory that the unprivileged server account
// can traverse even when the tests run as root (t.TempDir is 0700).
func testDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "polls-embeddedpg-test-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// testLog collects initdb/pg_ctl output and shows it only if the test fails.
type testLog struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (w *testLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func newTestLog(t *testing.T) *testLog {
	w := &testLog{}
	t.Cleanup(func() {
		if t.Failed() {
			w.mu.Lock()
			defer w.mu.Unlock()
			t.Log("initdb/pg_ctl output:\n" + w.buf.String())
		}
	})
	return w
}

func start(t *testing.T, dataDir string) *Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	s, err := Start(ctx, Options{DataDir: dataDir, Fast: true, Database: "polls", Log: newTestLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Stop(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return s
}

func stop(t *testing.T, s *Server) {
	t.Helper()
	if err := s.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.pidFilePath()); !os.IsNotExist(err) {
		t.Fatalf("postmaster.pid still there after Stop: %v", err)
	}
}

func execSQL(ctx context.Context, url, sql string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

func queryInt(t *testing.T, url, sql string) int {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var v int
	if err := conn.QueryRow(t.Context(), sql).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestStartStopKeepsData(t *testing.T) {
	t.Parallel()
	dataDir := filepath.Join(testDir(t), "pgdata")
	s := start(t, dataDir)
	if err := execSQL(t.Context(), s.URL("polls"), "CREATE TABLE t (v int); INSERT INTO t VALUES (7)"); err != nil {
		t.Fatal(err)
	}
	if got, want := binaryVersion(t.Context(), s.binDir), clusterVersion(dataDir); got != want || got == "" {
		t.Fatalf("binary version %q, cluster version %q", got, want)
	}
	if fi, err := os.Stat(dataDir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("data dir mode: %v %v", fi.Mode(), err)
	}
	stop(t, s)
	stop(t, s) // idempotent

	s = start(t, dataDir)
	if v := queryInt(t, s.URL("polls"), "SELECT v FROM t"); v != 7 {
		t.Fatalf("got %d after restart, want 7", v)
	}

	// A postmaster that died without cleaning up leaves a stale pid file.
	pidFile, err := os.ReadFile(s.pidFilePath())
	if err != nil {
		t.Fatal(err)
	}
	stop(t, s)
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(pidFile), "\n")
	stale := strconv.Itoa(dead.Process.Pid) + "\n" + rest
	if err := os.WriteFile(s.pidFilePath(), []byte(stale), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.acct.chown(s.pidFilePath()); err != nil { // as the server would have
		t.Fatal(err)
	}
	s = start(t, dataDir)
	if v := queryInt(t, s.URL("polls"), "SELECT v FROM t"); v != 7 {
		t.Fatalf("got %d after stale pid file, want 7", v)
	}
}

func TestConcurrentStartAndLongPath(t *testing.T) {
	t.Parallel()
	// Long enough that <DataDir>/sock cannot hold the socket.
	dataDir := filepath.Join(testDir(t), strings.Repeat("d", 60), strings.Repeat("e", 40), "pgdata")
	var wg sync.WaitGroup
	servers := make([]*Server, 2)
	for i := range servers {
		wg.Go(func() { servers[i] = start(t, dataDir) })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	if (servers[0].child == nil) == (servers[1].child == nil) {
		t.Fatal("want exactly one server started and the other reused")
	}
	if strings.HasPrefix(servers[0].socketDir, dataDir) {
		t.Fatalf("socket dir %s should have fallen back to a short path", servers[0].socketDir)
	}
	for _, s := range servers {
		if v := queryInt(t, s.URL("polls"), "SELECT 1"); v != 1 {
			t.Fatal(v)
		}
	}
	// The first Stop leaves the server to its other user; the last one stops it.
	if err := servers[0].Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if v := queryInt(t, servers[1].URL("polls"), "SELECT 1"); v != 1 {
		t.Fatalf("server gone after its first user stopped, want it kept for the second")
	}
	stop(t, servers[1])
	if _, err := os.Stat(servers[0].socketDir); !os.IsNotExist(err) {
		t.Fatalf("fallback socket dir not removed by Stop: %v", err)
	}
}
