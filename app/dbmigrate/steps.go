package dbmigrate

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// step is one up migration as the runner applies it: its version and its
// SQL without the BEGIN/COMMIT the file wraps itself in, since the runner
// runs it inside a transaction of its own that also records the version.
type step struct {
	version uint
	name    string
	body    string
	// own is set when the file is not one transaction (several, or a
	// statement that cannot run in one): golang-migrate applies it instead.
	own bool
}

var (
	upFile  = regexp.MustCompile(`^([0-9]+)_.*\.up\.sql$`)
	txBegin = regexp.MustCompile(`(?im)^\s*BEGIN(\s+TRANSACTION|\s+WORK)?\s*;\s*$`)
	txEnd   = regexp.MustCompile(`(?im)^\s*(COMMIT|END)(\s+TRANSACTION|\s+WORK)?\s*;\s*$`)
	noTx    = regexp.MustCompile(`(?i)\bCONCURRENTLY\b|\bVACUUM\b`)
)

// loadSteps reads src's up migrations in version order.
func loadSteps(src fs.FS) ([]step, error) {
	entries, err := fs.ReadDir(src, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []step
	for _, e := range entries {
		m := upFile.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		v, err := strconv.ParseUint(m[1], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", e.Name(), err)
		}
		b, err := fs.ReadFile(src, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		out = append(out, unwrap(uint(v), e.Name(), string(b)))
	}
	slices.SortFunc(out, func(a, b step) int { return int(a.version) - int(b.version) })
	return out, nil
}

// unwrap drops one BEGIN; line before and one COMMIT; line after the body.
// A file with more transaction lines than that, or none but a statement
// that refuses a transaction, is left to golang-migrate.
func unwrap(version uint, name, sql string) step {
	s := step{version: version, name: name, body: sql}
	begins, ends := txBegin.FindAllStringIndex(sql, -1), txEnd.FindAllStringIndex(sql, -1)
	switch {
	case len(begins) == 0 && len(ends) == 0:
		s.own = noTx.MatchString(sql)
	case len(begins) == 1 && len(ends) == 1 && begins[0][1] <= ends[0][0]:
		s.body = sql[begins[0][1]:ends[0][0]]
		s.own = noTx.MatchString(s.body) || !onlyComments(sql[:begins[0][0]]) || !onlyComments(sql[ends[0][1]:])
	default:
		s.own = true
	}
	return s
}

// onlyComments reports whether sql holds nothing but -- comments and space.
func onlyComments(sql string) bool {
	for line := range strings.Lines(sql) {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "--") {
			return false
		}
	}
	return true
}

// after returns the first step past version, if any.
func after(steps []step, version uint) (step, bool) {
	for _, s := range steps {
		if s.version > version {
			return s, true
		}
	}
	return step{}, false
}

// Versions returns the versions of src's up migrations, in order.
func Versions(src fs.FS) ([]uint, error) {
	steps, err := loadSteps(src)
	if err != nil {
		return nil, err
	}
	out := make([]uint, len(steps))
	for i, s := range steps {
		out[i] = s.version
	}
	return out, nil
}
