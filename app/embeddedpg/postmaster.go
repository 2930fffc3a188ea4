package embeddedpg

import (
	"context"
	"fmt"
	"syscall"
	"time"

	"polls/internal/proc"
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
