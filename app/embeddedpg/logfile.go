package embeddedpg

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The server's own log always goes to a file, <DataDir>/log/postgres.log,
// never to Options.Log: the server may outlive this process (a crashed
// `polls serve` leaves it running for the next start to reuse), and a pipe
// to a writer of ours would die with us. Options.Log receives the output of
// initdb and pg_ctl instead. Start errors quote the end of this file.
const maxLogSize = 10 << 20

func (s *Server) logPath() string {
	return filepath.Join(s.dataDir, "log", "postgres.log")
}

// openServerLog opens the log file for appending, keeping one previous
// generation (postgres.log.1) once it outgrows maxLogSize, so a long-lived
// dev data dir does not grow its log forever.
func (s *Server) openServerLog() (*os.File, error) {
	path := s.logPath()
	if err := os.Mkdir(filepath.Dir(path), 0o700); err != nil && !os.IsExist(err) {
		return nil, fmt.Errorf("embeddedpg: log dir: %w", err)
	}
	if err := s.acct.chown(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("embeddedpg: log dir: %w", err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Size() > maxLogSize {
		_ = os.Rename(path, path+".1")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("embeddedpg: log: %w", err)
	}
	if err := s.acct.chown(path); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("embeddedpg: log: %w", err)
	}
	return f, nil
}

// logTail returns the last lines of the server log, formatted to be appended
// to an error message, or "" if there is nothing to show.
func (s *Server) logTail() string {
	f, err := os.Open(s.logPath())
	if err != nil {
		return ""
	}
	defer f.Close()
	const window = 4096
	if fi, err := f.Stat(); err == nil && fi.Size() > window {
		_, _ = f.Seek(-window, io.SeekEnd)
	}
	b, _ := io.ReadAll(f)
	tail := lastLines(string(b), 10)
	if tail == "" {
		return ""
	}
	return "\nlast lines of " + s.logPath() + ":" + indent(tail)
}
