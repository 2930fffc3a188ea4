package embeddedpg

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
)

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
