// Package proc runs the child processes polls and its tests depend on
// (PostgreSQL, PgBouncer, the benchmark's servers): start one, wait until it
// answers, stop it politely and then firmly. Written once, so every caller
// reaps its child, notices one that died at start, and never waits forever.
package proc

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"time"
)

// Process is a started child process.
type Process struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed once the child has exited and been reaped
	err    error         // what Wait said, once exited is closed
}

// Start starts cmd and reaps it in the background when it exits.
func Start(cmd *exec.Cmd) (*Process, error) {
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &Process{cmd: cmd, exited: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

// Pid is the child's process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Exited is closed once the child has exited.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// ExitErr is what the child's exit said; only meaningful once Exited is closed.
func (p *Process) ExitErr() error { return p.err }

// WaitReady asks ready every interval until it says yes, and fails if the
// child exits first, ctx ends, or timeout passes.
func (p *Process) WaitReady(ctx context.Context, timeout, interval time.Duration, ready func() bool) error {
	deadline := time.After(timeout)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for !ready() {
		select {
		case <-p.exited:
			return fmt.Errorf("exited at start: %v", p.err)
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline:
			return fmt.Errorf("not ready within %v", timeout)
		case <-tick.C:
		}
	}
	return nil
}

// Stop sends sig, and kills the child if it has not exited after grace; it
// returns once the child is gone.
func (p *Process) Stop(sig os.Signal, grace time.Duration) {
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.exited:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// Listening reports whether something accepts TCP connections on addr.
func Listening(addr string) bool {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// FreeAddr returns a loopback address with a port nobody listens on now.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
