package embeddedpg

// The cluster on disk: finding the server binaries, initdb, and matching the
// data directory's version.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// superuser is the role initdb creates; URL connects as it.
const superuser = "postgres"

// clusterVersion returns the contents of PG_VERSION ("15"), or "" when the
// data dir holds no cluster yet.
func clusterVersion(dataDir string) string {
	b, err := os.ReadFile(filepath.Join(dataDir, "PG_VERSION"))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// initCluster runs initdb unless the data dir already holds a cluster.
//
// initdb works in a sibling temp dir that is renamed onto DataDir only once
// it succeeded, so a crash in the middle of initdb never leaves a
// half-initialised DataDir behind: the next Start simply starts over.
// Flags: trust auth (see the package doc for why that is safe), UTF8 with
// the C locale (deterministic byte-order collation, works on hosts without
// generated locales), and --no-sync always: this is a dev/test server, and
// an OS crash right after initdb costs nothing but a fresh empty cluster.
func (s *Server) initCluster(ctx context.Context) error {
	if clusterVersion(s.dataDir) != "" {
		return nil
	}
	if entries, err := os.ReadDir(s.dataDir); err == nil && len(entries) > 0 {
		return fmt.Errorf("embeddedpg: %s is not empty and holds no PostgreSQL cluster (no PG_VERSION); refusing to use it as a data dir", s.dataDir)
	}
	tmp := s.dataDir + ".initdb-tmp"
	if err := os.RemoveAll(tmp); err != nil { // leftover of a crashed run
		return fmt.Errorf("embeddedpg: %w", err)
	}
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return fmt.Errorf("embeddedpg: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := s.acct.chown(tmp); err != nil {
		return fmt.Errorf("embeddedpg: %w", err)
	}
	err := s.runTool(ctx, "initdb", "-D", tmp, "-U", superuser, "--auth=trust",
		"--encoding=UTF8", "--no-locale", "--no-sync")
	if err != nil {
		return err
	}
	// rename(2) replaces DataDir if it is an empty directory.
	if err := os.Rename(tmp, s.dataDir); err != nil {
		return fmt.Errorf("embeddedpg: %w", err)
	}
	return nil
}

// ensureDataDirMode gives an existing data dir the 0700 mode postgres
// insists on (someone may have chmod'ed it, or created it for us).
func (s *Server) ensureDataDirMode() error {
	fi, err := os.Stat(s.dataDir)
	if err != nil {
		return fmt.Errorf("embeddedpg: %w", err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 && perm != 0o750 {
		if err := os.Chmod(s.dataDir, 0o700); err != nil {
			return fmt.Errorf("embeddedpg: data dir: %w", err)
		}
	}
	return nil
}

// matchClusterVersion makes sure the binaries can run the existing cluster:
// a cluster made by PostgreSQL 15 needs 15's binaries even after 16 was
// installed, so another installed version is picked when it matches.
func (s *Server) matchClusterVersion(ctx context.Context) error {
	want := clusterVersion(s.dataDir)
	if want == "" {
		return nil
	}
	have := binaryVersion(ctx, s.binDir)
	if have == want || have == "" {
		return nil // unknown: let postgres report the problem itself
	}
	for _, dir := range binaryDirs(os.Getenv("PATH"), debianGlob) {
		if binaryVersion(ctx, dir) == want {
			s.binDir = dir
			return nil
		}
	}
	return fmt.Errorf("embeddedpg: data dir %s holds a PostgreSQL %s cluster, but the server binaries in %s are PostgreSQL %s: install PostgreSQL %s or use another data dir", s.dataDir, want, s.binDir, have, want)
}

// binaryVersion returns the major version of the postgres binary in dir, in
// PG_VERSION's format ("15", or "9.6" before PostgreSQL 10), or "".
// postgres answers --version even as root.
func binaryVersion(ctx context.Context, dir string) string {
	out, err := exec.CommandContext(ctx, filepath.Join(dir, "postgres"), "--version").Output()
	if err != nil {
		return ""
	}
	fields := strings.Fields(string(out)) // postgres (PostgreSQL) 15.8 (Debian ...)
	if len(fields) < 3 {
		return ""
	}
	parts := strings.FieldsFunc(fields[2], func(r rune) bool { return r < '0' || r > '9' })
	switch {
	case len(parts) == 0:
		return ""
	case len(parts) > 1 && len(parts[0]) == 1: // 9.6 and older
		return parts[0] + "." + parts[1]
	}
	return parts[0]
}

// ErrNoBinaries is wrapped by the error returned when initdb, pg_ctl or
// postgres cannot be found, so callers can recognise it with errors.Is and
// fall back to asking for a database URL.
var ErrNoBinaries = errors.New("PostgreSQL server binaries not found")

// ErrUnreachableDataDir is returned, as root, when the unprivileged account that
// must run PostgreSQL cannot enter the data dir's parent directories.
var ErrUnreachableDataDir = errors.New("data dir unreachable by the server account")

// requiredBinaries are the programs this package runs; a directory only
// counts when it holds all of them, so they are guaranteed to be one version.
var requiredBinaries = []string{"initdb", "pg_ctl", "postgres"}

// debianGlob is where Debian/Ubuntu packages install the server binaries,
// which are deliberately not on PATH there.
const debianGlob = "/usr/lib/postgresql/*/bin"

// FindBinaries returns the directory holding initdb, pg_ctl and postgres.
// It is exported so callers can print which installation they use.
func FindBinaries() (dir string, err error) {
	return findBinaries(os.Getenv("PATH"), debianGlob)
}

// findBinaries is FindBinaries with its search path as arguments, for tests.
// The error is one line saying exactly what to install.
func findBinaries(pathList, glob string) (string, error) {
	if dirs := binaryDirs(pathList, glob); len(dirs) > 0 {
		return dirs[0], nil
	}
	return "", fmt.Errorf("%w (initdb, pg_ctl, postgres): install them, e.g. \"apt-get install postgresql\" on Debian/Ubuntu, or set POLLS_DATABASE_URL to an existing server", ErrNoBinaries)
}

// binaryDirs lists, best first, every directory that holds all required
// binaries: PATH entries in order, then glob matches, highest version first.
func binaryDirs(pathList, glob string) []string {
	var dirs []string
	add := func(d string) {
		if d != "" && hasAllBinaries(d) && !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	for _, d := range filepath.SplitList(pathList) {
		if !hasAllBinaries(d) {
			continue
		}
		// Prefer the real directory behind symlinks such as /usr/local/bin.
		if real, err := filepath.EvalSymlinks(filepath.Join(d, "initdb")); err == nil {
			add(filepath.Dir(real))
		}
		add(d)
	}
	matches, _ := filepath.Glob(glob)
	slices.SortStableFunc(matches, func(a, b string) int {
		return slices.Compare(versionOf(b), versionOf(a))
	})
	for _, d := range matches {
		add(d)
	}
	return dirs
}

func hasAllBinaries(dir string) bool {
	if dir == "" || !filepath.IsAbs(dir) {
		return false // a relative PATH entry would depend on the cwd
	}
	for _, name := range requiredBinaries {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}

// versionOf extracts the numeric parts of the version directory in
// /usr/lib/postgresql/<version>/bin, e.g. [9 6] or [15].
func versionOf(binDir string) []int {
	var v []int
	for _, part := range strings.Split(filepath.Base(filepath.Dir(binDir)), ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			break
		}
		v = append(v, n)
	}
	return v
}
