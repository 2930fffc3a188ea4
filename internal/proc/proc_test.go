package proc

import (
	"bufio"
	"context"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestWaitReadyNoticesAChildThatDied(t *testing.T) {
	p, err := Start(exec.Command("sh", "-c", "exit 3"))
	if err != nil {
		t.Fatal(err)
	}
	err = p.WaitReady(context.Background(), time.Minute, 10*time.Millisecond, func() bool { return false })
	if err == nil || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("got %v, want the child's exit reported", err)
	}
}

func TestWaitReadyGivesUpAfterTimeout(t *testing.T) {
	p, err := Start(exec.Command("sleep", "60"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop(syscall.SIGKILL, time.Second)
	asked := 0
	err = p.WaitReady(context.Background(), 100*time.Millisecond, 10*time.Millisecond, func() bool { asked++; return false })
	if err == nil || !strings.Contains(err.Error(), "not ready within") || asked < 2 {
		t.Fatalf("got %v after %d questions, want a timeout after asking more than once", err, asked)
	}
}

func TestStopKillsAChildThatIgnoresTheSignal(t *testing.T) {
	cmd := exec.Command("sh", "-c", `trap "" TERM; echo ready; exec sleep 60`)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p, err := Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(out).ReadString('\n'); line != "ready\n" { // the trap is set
		t.Fatalf("child said %q, %v", line, err)
	}
	p.Stop(syscall.SIGTERM, 200*time.Millisecond)
	select {
	case <-p.Exited():
	default:
		t.Fatal("Stop returned with the child still running")
	}
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended by %v, want SIGKILL after the grace period", p.cmd.ProcessState)
	}
}
