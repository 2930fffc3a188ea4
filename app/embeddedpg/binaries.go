package embeddedpg

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

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
