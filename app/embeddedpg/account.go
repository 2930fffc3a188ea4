package embeddedpg

// Running the server and its tools as the account that owns the data
// directory (not root).

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// account is the unprivileged user the PostgreSQL programs run as when this
// process is root: initdb, pg_ctl and postgres all refuse to run as root.
// A nil *account means "run as ourselves" (we are not root).
type account struct {
	name     string
	uid, gid uint32
}

// serverAccount picks who runs the server. As root: the owner of an existing
// cluster (only its owner may start it), else the "postgres" user, else
// "nobody". Otherwise nil: the current user runs everything.
func serverAccount(dataDir string) (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	if fi, err := os.Stat(filepath.Join(dataDir, "PG_VERSION")); err == nil {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != 0 {
			a := &account{name: "uid " + strconv.Itoa(int(st.Uid)), uid: st.Uid, gid: st.Gid}
			if u, err := user.LookupId(strconv.Itoa(int(st.Uid))); err == nil {
				a.name = u.Username
			}
			return a, nil
		}
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 == nil && err2 == nil && uid != 0 {
			return &account{name: name, uid: uint32(uid), gid: uint32(gid)}, nil
		}
	}
	return nil, fmt.Errorf("embeddedpg: running as root, but neither a \"postgres\" nor a \"nobody\" user exists to run PostgreSQL as (it refuses to run as root)")
}

// credential makes a child process run as the account; nil keeps our own
// identity. Supplementary groups are dropped so root's groups do not leak.
func (a *account) credential() *syscall.Credential {
	if a == nil {
		return nil
	}
	return &syscall.Credential{Uid: a.uid, Gid: a.gid, Groups: []uint32{}}
}

// chown hands a path we created as root to the account; no-op when not root.
func (a *account) chown(path string) error {
	if a == nil {
		return nil
	}
	return os.Lchown(path, int(a.uid), int(a.gid))
}

// checkTraversable fails when the account could not reach dir because some
// ancestor lacks the search (x) permission for it. We never chmod a user's
// directories behind their back: we say which one is in the way instead.
// Only mode bits are considered (no ACLs); the account has no supplementary
// groups (see credential), so only its primary group counts.
func (a *account) checkTraversable(dir string) error {
	if a == nil {
		return nil
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return fmt.Errorf("embeddedpg: %w", err)
	}
	for p := real; ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("embeddedpg: %w", err)
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return nil
		}
		var bit os.FileMode = 0o001
		switch {
		case st.Uid == a.uid:
			bit = 0o100
		case st.Gid == a.gid:
			bit = 0o010
		}
		if fi.Mode().Perm()&bit == 0 {
			return fmt.Errorf("%w: embeddedpg: %s is not reachable by user %q, which runs PostgreSQL because polls runs as root: directory %s (mode %04o, owner uid %d) is not searchable by it; choose a data dir elsewhere or allow it (e.g. chmod o+x %s)",
				ErrUnreachableDataDir, dir, a.name, p, uint32(fi.Mode().Perm()), st.Uid, p)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

// mkdirParents creates the missing ancestors of a data dir with mode 0755,
// so that the (possibly different) server account can traverse them. As
// root, directories created here (and only those) are chmod'ed to 0755 to
// override a restrictive umask; other users keep their umask.
func mkdirParents(dir string) error {
	if fi, err := os.Stat(dir); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("embeddedpg: %s is not a directory", dir)
		}
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := mkdirParents(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		if os.IsExist(err) {
			return nil
		}
		return fmt.Errorf("embeddedpg: %w", err)
	}
	if os.Geteuid() == 0 {
		return os.Chmod(dir, 0o755)
	}
	return nil
}

// command prepares one of the PostgreSQL programs: run as the server account,
// from "/" (the caller's cwd may be unreadable by that account, which makes
// initdb complain), and without PG* variables, which would silently override
// our settings (PGPORT changes the socket name, PGDATA the data dir...).
func (s *Server) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(s.binDir, name), args...)
	cmd.Dir = "/"
	cmd.Env = cleanEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.acct.credential()}
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// runTool runs a short-lived program (initdb, pg_ctl) to completion. Its
// output goes to Options.Log and is also kept for the error message.
func (s *Server) runTool(ctx context.Context, name string, args ...string) error {
	cmd := s.command(ctx, name, args...)
	var out bytes.Buffer
	var w io.Writer = &out
	if s.log != nil {
		w = io.MultiWriter(&out, s.log)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("embeddedpg: %s %s: %w%s", name, strings.Join(args, " "), err, indent(lastLines(out.String(), 15)))
	}
	return nil
}

func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

// lastLines keeps the end of a program's output: that is where the reason
// for a failure is.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func indent(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return "\n\t" + strings.ReplaceAll(s, "\n", "\n\t")
}
