package embeddedpg

// Several processes on one data directory: a lock while one starts or stops
// the server, and a count of users so the last one out stops it.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockPollInterval bounds how late we notice that another process released
// the lock; waiting is always bounded by the caller's context.
const lockPollInterval = 50 * time.Millisecond

// lockDataDir serialises initdb/start/stop on one data dir across processes
// (and across Servers in one process: flock locks belong to the open file,
// not the process), so two concurrent Starts never both run initdb.
//
// The lock file is a sibling, DataDir+".lock", because DataDir itself must be
// empty for initdb. It is never removed: deleting a flock file is racy. The
// lock dies with its holder, so a crash never leaves it stuck; Go opens files
// close-on-exec, so the postgres child does not inherit it.
func lockDataDir(ctx context.Context, dataDir string) (unlock func(), err error) {
	path := dataDir + ".lock"
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("embeddedpg: lock: %w", err)
	}
	ticker := time.NewTicker(lockPollInterval)
	defer ticker.Stop()
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				_ = f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			_ = f.Close()
			return nil, fmt.Errorf("embeddedpg: lock %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			_ = f.Close()
			return nil, fmt.Errorf("embeddedpg: waiting for lock %s held by another process: %w", path, ctx.Err())
		case <-ticker.C:
		}
	}
}

// The users file, DataDir+".users", counts the processes using a server: each
// Server holds a shared flock on it from Start to Stop. Stop shuts PostgreSQL
// down only when no other process holds one, so `polls createtenant` run
// beside a `polls serve` on the same data dir never stops the server under it,
// while the last user (or one that adopted a crashed process's server) does.
// Locks die with their holder, so a crashed process is never counted.

// joinUsers takes this Server's shared lock. Called with the data dir lock held.
func (s *Server) joinUsers() error {
	f, err := os.OpenFile(s.dataDir+".users", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("embeddedpg: users file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil {
		f.Close()
		return fmt.Errorf("embeddedpg: users lock: %w", err)
	}
	s.users = f
	return nil
}

// leaveUsers drops this Server's lock and reports whether it was the last
// user. Called with the data dir lock held, so no Start can join meanwhile.
func (s *Server) leaveUsers() (last bool) {
	if s.users == nil {
		return true
	}
	// A child this process is starting (pg_ctl, say) shares our descriptor,
	// and with it our lock, from fork until exec: the probe below would then
	// see a user that is not there and leave the server running. Forks hold
	// ForkLock for writing until the child has exec'd, so none is midway
	// while we hold it for reading.
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	s.users.Close() // releases the shared lock
	s.users = nil
	f, err := os.OpenFile(s.dataDir+".users", os.O_RDWR, 0o600)
	if err != nil {
		return true
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return false
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return true
}
