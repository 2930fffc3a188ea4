package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"polls/internal/proc"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is a running HTTP server under test.
type server struct {
	name string
	addr string
	proc *proc.Process
}

// startServer runs bin with args and env, logging to logPath, and waits until
// it answers HTTP on addr.
func startServer(ctx context.Context, name, bin, dir, addr, logPath string, env []string, args ...string) (*server, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close() // the child keeps its own descriptor
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	p, err := proc.Start(cmd)
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{name: name, addr: addr, proc: p}
	answers := func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	}
	if err := p.WaitReady(ctx, 30*time.Second, 50*time.Millisecond, answers); err != nil {
		s.stop()
		log, _ := os.ReadFile(logPath)
		return nil, fmt.Errorf("%s on %s: %w\n%s", name, addr, err, log)
	}
	return s, nil
}

// stop asks the server to shut down and waits for it.
func (s *server) stop() { s.proc.Stop(syscall.SIGTERM, 20*time.Second) }

// memory reads the resident set (now and at its peak) from /proc.
func (s *server) memory() (rss, peak int64) {
	st := s.status()
	return st["VmRSS:"], st["VmHWM:"]
}

// mappedFiles reads how much of the resident set is mapped files: the
// binary's code and read-only data, which the kernel maps in whole runs
// around each page used, and the C library; the rest is memory of its own.
func (s *server) mappedFiles() int64 { return s.status()["RssFile:"] }

// status reads the sizes of /proc/PID/status, in bytes, by field name.
func (s *server) status() map[string]int64 {
	sizes := map[string]int64{}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(s.proc.Pid()) + "/status")
	if err != nil {
		return sizes
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[2] == "kB" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			sizes[f[0]] = kb << 10
		}
	}
	return sizes
}

// fetch GETs path on addr with Host host and returns status and body.
func fetch(addr, host, path string) (int, string, error) {
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
	if err != nil {
		return 0, "", err
	}
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}
