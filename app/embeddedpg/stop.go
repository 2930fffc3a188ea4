package embeddedpg

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// defaultStopTimeout applies when Stop's context has no deadline.
const defaultStopTimeout = time.Minute

// Stop shuts the server down with pg_ctl's fast mode (open transactions are
// rolled back, clients disconnected) and waits until it is gone, unless
// another process still uses it (see users.go). It is idempotent, and it also
// stops a server this Server adopted from a crashed process. A server that is
// already down is not an error.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return nil
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultStopTimeout)
		defer cancel()
	}
	unlock, err := lockDataDir(ctx, s.dataDir)
	if err != nil {
		return err
	}
	defer unlock()
	if !s.leaveUsers() {
		s.stopped = true
		return nil
	}
	if s.running() {
		err := s.runTool(ctx, "pg_ctl", "stop", "-D", s.dataDir, "-m", "fast", "-w", "-t", timeoutSeconds(ctx))
		if err != nil && s.running() {
			return err
		}
	}
	if s.child != nil { // our own child: reap it
		select {
		case <-s.child.Exited():
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	// A fallback socket dir lives outside DataDir: do not litter the temp
	// dir with it. Remove (not RemoveAll) keeps it if anything is left in it.
	if filepath.Dir(s.socketDir) != s.dataDir {
		_ = os.Remove(s.socketDir)
	}
	s.stopped = true
	return nil
}

// running reports whether a server holds the data dir: postgres removes
// postmaster.pid as the very last step of shutting down, and a pid file
// whose process is gone (a crashed server) does not count.
func (s *Server) running() bool {
	pf, ok := s.readPIDFile()
	if !ok {
		return false
	}
	state := postmasterState(pf.pid, s.dataDir)
	return state == procOurs || state == procUnknown
}

// timeoutSeconds converts ctx's deadline into pg_ctl's -t argument.
func timeoutSeconds(ctx context.Context) string {
	secs := 60.0
	if d, ok := ctx.Deadline(); ok {
		secs = math.Ceil(time.Until(d).Seconds())
	}
	return strconv.Itoa(max(1, int(secs)))
}
