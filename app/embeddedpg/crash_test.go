package embeddedpg

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// helperEnv makes the test binary act as a `polls serve` that starts a
// server, writes a row and then gets killed (see TestReuseAfterCrash).
const helperEnv = "EMBEDDEDPG_TEST_CRASH_HELPER_DATADIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(helperEnv); dir != "" {
		crashHelper(dir)
		return
	}
	os.Exit(m.Run())
}

func crashHelper(dataDir string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Start(ctx, Options{DataDir: dataDir, Fast: true, Database: "polls"})
	if err == nil {
		err = execSQL(ctx, s.URL("polls"), "CREATE TABLE crash (v int); INSERT INTO crash VALUES (42)")
	}
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("ready")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n') // wait to be killed
	os.Exit(0)
}

func TestReuseAfterCrash(t *testing.T) {
	t.Parallel()
	dataDir := filepath.Join(testDir(t), "pgdata")
	helper := exec.Command(os.Args[0], "-test.run=^$")
	helper.Env = append(os.Environ(), helperEnv+"="+dataDir)
	out, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := helper.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	helper.Stderr = os.Stderr
	t.Cleanup(func() { stopLeftover(t, dataDir) }) // if we fail half-way
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if line != "ready\n" {
		t.Fatalf("helper: %q %v", line, err)
	}
	if err := helper.Process.Kill(); err != nil { // polls crashes: no Stop
		t.Fatal(err)
	}
	_ = helper.Wait()

	s := start(t, dataDir)
	if s.child != nil {
		t.Fatal("started a second server instead of reusing the running one")
	}
	if v := queryInt(t, s.URL("polls"), "SELECT v FROM crash"); v != 42 {
		t.Fatalf("got %d, want 42", v)
	}
	stop(t, s) // stops the adopted server too
}

// stopLeftover stops whatever server still runs on dataDir, so a failing
// test does not leave a postmaster behind in a deleted directory.
func stopLeftover(t *testing.T, dataDir string) {
	binDir, err := FindBinaries()
	if err != nil {
		return
	}
	acct, err := serverAccount(dataDir)
	if err != nil {
		t.Error(err)
		return
	}
	s := &Server{dataDir: dataDir, socketDir: socketDirFor(dataDir), binDir: binDir, acct: acct}
	if err := s.Stop(context.Background()); err != nil {
		t.Error(err)
	}
}
