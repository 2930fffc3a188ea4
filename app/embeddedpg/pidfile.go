package embeddedpg

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

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
