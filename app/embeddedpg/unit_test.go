package embeddedpg

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMissingBinaries(t *testing.T) {
	_, err := findBinaries("", filepath.Join(t.TempDir(), "nothing", "*", "bin"))
	if !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("got %v, want ErrNoBinaries", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, `"apt-get install postgresql"`) || !strings.Contains(msg, "POLLS_DATABASE_URL") {
		t.Fatalf("unhelpful message: %q", msg)
	}
}

func fakeBinaries(t *testing.T, dir string, names ...string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFindBinariesOrder(t *testing.T) {
	root := t.TempDir()
	for _, v := range []string{"9.6", "15", "10"} {
		fakeBinaries(t, filepath.Join(root, "lib", v, "bin"), requiredBinaries...)
	}
	fakeBinaries(t, filepath.Join(root, "incomplete"), "initdb", "pg_ctl")
	glob := filepath.Join(root, "lib", "*", "bin")

	got := binaryDirs(filepath.Join(root, "incomplete"), glob)
	want := []string{"15", "10", "9.6"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i, v := range want {
		if got[i] != filepath.Join(root, "lib", v, "bin") {
			t.Fatalf("got %v, want versions %v", got, want)
		}
	}

	// PATH comes first, resolved through symlinks to the real directory.
	link := filepath.Join(root, "link")
	fakeBinaries(t, link)
	for _, n := range requiredBinaries {
		if err := os.Symlink(filepath.Join(root, "lib", "10", "bin", n), filepath.Join(link, n)); err != nil {
			t.Fatal(err)
		}
	}
	if dir, err := findBinaries(link, glob); err != nil || dir != filepath.Join(root, "lib", "10", "bin") {
		t.Fatalf("got %q %v", dir, err)
	}
}

func TestSocketDir(t *testing.T) {
	if got := socketDirFor("/srv/polls/pgdata"); got != "/srv/polls/pgdata/sock" {
		t.Fatalf("got %s", got)
	}
	long := "/srv/" + strings.Repeat("x", 100) + "/pgdata"
	got := socketDirFor(long)
	if !strings.Contains(got, "polls-pg-") || len(got)+len("/"+socketFile) > maxSocketPath {
		t.Fatalf("got %s", got)
	}
	if got != socketDirFor(long) || got == socketDirFor(long+"2") {
		t.Fatal("fallback must be stable per data dir and differ between data dirs")
	}
	if got := socketDirFor("/srv/a,b/pgdata"); strings.Contains(got, ",") {
		t.Fatalf("got %s", got)
	}
}

func TestURL(t *testing.T) {
	s := &Server{socketDir: "/tmp/x y/sock"}
	want := "postgres://postgres@/polls?host=/tmp/x+y/sock&port=5432&sslmode=disable"
	if got := s.URL("polls"); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestCheckTraversable(t *testing.T) {
	closed := filepath.Join(testDir(t), "closed")
	if err := os.Mkdir(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	other := &account{name: "someone", uid: 4242, gid: 4242}
	err := other.checkTraversable(filepath.Join(closed, "pgdata"))
	if err == nil || !strings.Contains(err.Error(), closed) {
		t.Fatalf("got %v, want an error naming %s", err, closed)
	}
	if err := os.Chmod(closed, 0o711); err != nil {
		t.Fatal(err)
	}
	if err := other.checkTraversable(closed); err != nil {
		t.Fatal(err)
	}
}

func TestRefusesForeignDirectory(t *testing.T) {
	dir := filepath.Join(testDir(t), "notpg")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "precious.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Start(t.Context(), Options{DataDir: dir})
	if err == nil || !strings.Contains(err.Error(), "no PG_VERSION") {
		t.Fatalf("got %v", err)
	}
}
