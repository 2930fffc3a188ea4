package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"polls/app/tenant"
	"polls/bench/load"
	"polls/internal/proc"
)

// rollout is the previous release serving while the new migration runs:
// `polls serve` (this tree's binary, which does not know the new migration)
// under a load spread over every tenant's index, from before the migration
// starts until it ends. What it answered is counted by status: 200 from
// tenants on either side of the migration (expand/contract), 503 from the
// maintenance page of a tenant being migrated, and nothing else.
type rollout struct {
	srv    *proc.Process
	addr   string
	cancel context.CancelFunc
	done   chan load.Result
	err    chan error
}

// startRollout starts the server and the load; stop ends both and reports.
func startRollout(ctx context.Context, bin, dir, url string, ts []tenant.Record, conns int) (*rollout, error) {
	addr, err := proc.FreeAddr()
	if err != nil {
		return nil, err
	}
	conf := filepath.Join(dir, "serve.yaml")
	// The access log off: 10,000 tenants under load would write a line a request.
	if err := os.WriteFile(conf, []byte("log: {requests: errors}\n"), 0o644); err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(bin, "serve", "--config", conf, "--addr", addr)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "POLLS_DATABASE_URL="+url)
	cmd.Stdout, cmd.Stderr = logf, logf
	p, err := proc.Start(cmd)
	if err != nil {
		return nil, err
	}
	healthy := func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	}
	if err := p.WaitReady(ctx, 30*time.Second, 50*time.Millisecond, healthy); err != nil {
		p.Stop(syscall.SIGTERM, 5*time.Second)
		return nil, fmt.Errorf("polls serve: %w", err)
	}
	reqs := make([]load.Request, len(ts))
	for i, t := range ts {
		reqs[i] = load.Request{Method: http.MethodGet, Host: t.PrimaryDomain(), Path: "/polls/", Want: http.StatusOK}
	}
	lctx, cancel := context.WithCancel(ctx)
	r := &rollout{srv: p, addr: addr, cancel: cancel, done: make(chan load.Result, 1), err: make(chan error, 1)}
	go func() {
		res, err := load.Run(lctx, load.Config{Addr: addr, Conns: conns, Duration: 24 * time.Hour, Requests: reqs})
		r.done <- res
		r.err <- err
	}()
	return r, nil
}

// stop ends the load and the server and prints what they did.
func (r *rollout) stop(windows []time.Duration) {
	r.cancel()
	res, err := <-r.done, <-r.err
	rss, hwm := memoryOf(r.srv.Pid())
	r.srv.Stop(syscall.SIGTERM, 10*time.Second)
	codes := make([]int, 0, len(res.Statuses))
	for c := range res.Statuses {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	var parts []string
	bad := 0
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("%d: %d", c, res.Statuses[c]))
		if c >= 500 && c != http.StatusServiceUnavailable {
			bad += res.Statuses[c]
		}
	}
	fmt.Printf("  the previous release under load during it: %d answers in %v (%.0f a second), by status {%s}; 5xx other than the maintenance page: %d; connection errors: %d",
		sum(res.Statuses), res.Elapsed.Round(time.Second), float64(sum(res.Statuses))/res.Elapsed.Seconds(), strings.Join(parts, ", "), bad, res.Errors-failed(res.Statuses))
	if err != nil {
		fmt.Printf(" (%v)", err)
	}
	fmt.Println()
	if len(windows) > 0 {
		slices.Sort(windows)
		fmt.Printf("  each tenant's maintenance window (marked migrating to committed): p50 %v, p99 %v, longest %v\n",
			windows[len(windows)/2].Round(time.Millisecond), windows[len(windows)*99/100].Round(time.Millisecond), windows[len(windows)-1].Round(time.Millisecond))
	}
	fmt.Printf("  polls serve memory: %s resident at the end, %s at most (VmHWM)\n", rss, hwm)
}

func sum(m map[int]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// failed is how many answers were not the wanted 200 (counted as errors by
// the load generator besides connection errors).
func failed(m map[int]int) int {
	return sum(m) - m[http.StatusOK]
}

// memoryOf reads a process's resident memory now and at most.
func memoryOf(pid int) (rss, hwm string) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "?", "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 {
			continue
		}
		switch fields[0] {
		case "VmRSS:":
			rss = fields[1] + " kB"
		case "VmHWM:":
			hwm = fields[1] + " kB"
		}
	}
	return rss, hwm
}
