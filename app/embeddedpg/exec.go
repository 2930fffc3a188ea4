package embeddedpg

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

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
