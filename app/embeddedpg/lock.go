package embeddedpg

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
