package embeddedpg

// The postgres process: launching it, waiting until it accepts connections,
// and adopting one a crashed process left running (its pid file).

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"polls/internal/proc"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// serverArgs are passed on every start rather than written to
// postgresql.conf, so a data dir moved elsewhere (new socket dir) or reused
// with another Fast setting just works.
func (s *Server) serverArgs() []string {
	args := []string{"-D", s.dataDir,
		"-c", "listen_addresses=", // no TCP at all: nothing can clash on 5432
		"-c", "unix_socket_directories=" + s.socketDir,
		"-c", "unix_socket_permissions=0700",
		"-c", "port=" + port,
		"-c", "max_connections=200",
	}
	if s.fast {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	return args
}

// launch runs postgres directly (not via pg_ctl start, whose -o/-l go
// through a shell and break on unusual paths) and waits until it accepts
// connections. The server gets its own session (setsid) like pg_ctl gives
// it: a Ctrl-C aimed at polls does not hit it, and it survives a crash of
// this process, for the next Start to adopt.
func (s *Server) launch(ctx context.Context) error {
	logFile, err := s.openServerLog()
	if err != nil {
		return err
	}
	defer logFile.Close() // the child keeps its own descriptor
	// Not CommandContext: the server must outlive ctx (it bounds Start only).
	cmd := s.command(context.Background(), "postgres", s.serverArgs()...)
	cmd.SysProcAttr.Setsid = true
	cmd.Stdout, cmd.Stderr = logFile, logFile
	child, err := proc.Start(cmd)
	if err != nil {
		return fmt.Errorf("embeddedpg: starting postgres: %w", err)
	}
	s.child = child
	alive := func() error {
		select {
		case <-child.Exited():
			return fmt.Errorf("embeddedpg: postgres exited during startup (%v)%s", child.ExitErr(), s.logTail())
		default:
			return nil
		}
	}
	if err := s.waitReady(ctx, alive); err != nil {
		exitedEarly := alive() != nil // then err already quotes the log
		s.abort()
		if exitedEarly {
			return err
		}
		return fmt.Errorf("%w%s", err, s.logTail())
	}
	return nil
}

// abort shuts down a server that did not become ready: fast shutdown
// first, and SIGKILL if it does not go within a few seconds.
func (s *Server) abort() { s.child.Stop(syscall.SIGINT, 10*time.Second) }

const (
	// readyPollInterval is how often we retry connecting while the server
	// starts; each attempt is cheap (a missing socket fails at once).
	readyPollInterval = 50 * time.Millisecond
	// attemptTimeout bounds a single connection attempt.
	attemptTimeout = 2 * time.Second
)

// waitReady polls until a real connection succeeds. It gives up when ctx
// ends or when alive reports that the server process is gone, so a server
// that fails to start is reported at once rather than at the deadline.
// While postmaster.pid says "starting" it does not try: the server would
// only log a "the database system is starting up" FATAL per attempt.
func (s *Server) waitReady(ctx context.Context, alive func() error) error {
	ticker := time.NewTicker(readyPollInterval)
	defer ticker.Stop()
	err := errors.New("server still starting")
	for {
		if pf, ok := s.readPIDFile(); !ok || pf.status != "starting" {
			if err = s.ping(ctx); err == nil {
				return nil
			}
		}
		if aliveErr := alive(); aliveErr != nil {
			return aliveErr
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("embeddedpg: server on %s not ready: %w (last attempt: %v)", s.dataDir, ctx.Err(), err)
		case <-ticker.C:
		}
	}
}

func (s *Server) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, attemptTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		return err
	}
	return conn.Close(ctx)
}

// connectsToOurDataDir checks that the server answering on our socket dir
// really serves our data dir, before we adopt it.
func (s *Server) connectsToOurDataDir(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, attemptTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var dir string
	if err := conn.QueryRow(ctx, "SHOW data_directory").Scan(&dir); err != nil {
		return err
	}
	if sameDir(dir, s.dataDir) {
		return nil
	}
	return fmt.Errorf("embeddedpg: the server on socket dir %s serves %s, not %s", s.socketDir, dir, s.dataDir)
}

func sameDir(a, b string) bool {
	ra, err1 := filepath.EvalSymlinks(a)
	rb, err2 := filepath.EvalSymlinks(b)
	return err1 == nil && err2 == nil && ra == rb
}

// pidFile is what we need from postmaster.pid: line 1 is the postmaster's
// PID, line 5 the first unix socket directory, line 8 its status
// ("starting", "ready", "stopping"; absent before PostgreSQL 10).
type pidFile struct {
	pid       int
	socketDir string
	status    string
}

func (s *Server) pidFilePath() string { return filepath.Join(s.dataDir, "postmaster.pid") }

func (s *Server) readPIDFile() (pidFile, bool) {
	b, err := os.ReadFile(s.pidFilePath())
	if err != nil {
		return pidFile{}, false
	}
	lines := strings.Split(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil || pid <= 0 {
		return pidFile{}, false
	}
	pf := pidFile{pid: pid}
	if len(lines) > 4 {
		pf.socketDir = strings.TrimSpace(lines[4])
	}
	if len(lines) > 7 {
		pf.status = strings.TrimSpace(lines[7])
	}
	return pf, true
}

type procState int

const (
	procGone    procState = iota // no such process: the pid file is stale
	procOurs                     // a live process working in our data dir
	procForeign                  // PID reused by another process, or a zombie
	procUnknown                  // alive, but we cannot tell (no /proc)
)

// postmasterState tells whether pid is a postmaster running on dataDir.
// A postmaster chdirs into its data dir, so on Linux /proc/<pid>/cwd says it.
// A zombie (a killed postmaster that nobody reaped, e.g. in a container
// without an init) still answers kill(pid, 0), which would make postgres
// refuse to start, so it counts as foreign.
func postmasterState(pid int, dataDir string) procState {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return procGone
	}
	if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		if i := strings.LastIndexByte(string(stat), ')'); i >= 0 && strings.HasPrefix(string(stat[i+1:]), " Z") {
			return procForeign
		}
	}
	cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid))
	if err != nil {
		return procUnknown
	}
	if real, err := filepath.EvalSymlinks(dataDir); err == nil && real == cwd {
		return procOurs
	}
	return procForeign
}

// adoptRunning reuses a server left running on our data dir by an earlier
// process (for example a `polls serve` that crashed without stopping it):
// if postmaster.pid names a live postmaster of this data dir, we wait for it
// to accept connections and use it instead of starting another one.
// A stale pid file (process gone) is left to postgres, which discards it
// itself; one whose PID now belongs to an unrelated process is removed,
// since postgres would otherwise refuse to start.
func (s *Server) adoptRunning(ctx context.Context) (bool, error) {
	if clusterVersion(s.dataDir) == "" {
		return false, nil
	}
	pf, ok := s.readPIDFile()
	if !ok {
		return false, nil
	}
	state := postmasterState(pf.pid, s.dataDir)
	switch state {
	case procGone:
		return false, nil
	case procForeign:
		if err := os.Remove(s.pidFilePath()); err != nil && !os.IsNotExist(err) {
			return false, fmt.Errorf("embeddedpg: removing stale %s: %w", s.pidFilePath(), err)
		}
		return false, nil
	}
	if pf.socketDir != "" {
		s.socketDir = pf.socketDir
	}
	if state == procUnknown {
		// Without /proc, one attempt: if it fails, starting postgres will
		// either succeed (stale file) or say that the data dir is in use.
		return s.connectsToOurDataDir(ctx) == nil, nil
	}
	alive := func() error {
		if postmasterState(pf.pid, s.dataDir) != procOurs {
			return fmt.Errorf("embeddedpg: the running server (pid %d) exited", pf.pid)
		}
		return nil
	}
	if err := s.waitReady(ctx, alive); err != nil {
		if alive() != nil {
			return false, nil // it was shutting down: start a fresh one
		}
		return false, err
	}
	return true, s.connectsToOurDataDir(ctx)
}
