package load

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// WrkInstall is the one line that installs wrk on Debian.
const WrkInstall = "apt-get install -y wrk"

// HaveWrk reports whether wrk is on PATH.
func HaveWrk() bool {
	_, err := exec.LookPath("wrk")
	return err == nil
}

// Wrk runs the same load with wrk (two threads), scripted in Lua to send
// cfg.Requests in turn and to print its counts and percentiles in a line this
// function parses. dir holds the script.
func Wrk(ctx context.Context, cfg Config, dir string) (Result, error) {
	script := filepath.Join(dir, "bench.lua")
	if err := os.WriteFile(script, []byte(wrkScript(cfg.Requests)), 0o644); err != nil {
		return Result{}, err
	}
	secs := max(1, int(cfg.Duration.Round(time.Second)/time.Second))
	cmd := exec.CommandContext(ctx, "wrk", "-t2", "-c"+strconv.Itoa(cfg.Conns), "-d"+strconv.Itoa(secs)+"s",
		"--timeout", "10s", "-s", script, "http://"+cfg.Addr+"/")
	out, err := cmd.Output()
	if err != nil {
		return Result{}, fmt.Errorf("wrk: %w: %s", err, out)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 6 || f[0] != "BENCH" {
			continue
		}
		n := make([]int64, 5)
		for i := range n {
			n[i], _ = strconv.ParseInt(f[i+1], 10, 64)
		}
		return Result{
			Requests: int(n[0] - n[1]), Errors: int(n[1]),
			P50: time.Duration(n[2]) * time.Microsecond, P99: time.Duration(n[3]) * time.Microsecond,
			Elapsed: time.Duration(n[4]) * time.Microsecond,
		}, nil
	}
	return Result{}, fmt.Errorf("wrk printed no result: %s", out)
}

// wrkScript cycles through the requests; wrk counts a status of 400 or more
// as an error, and every wanted status here is below that.
func wrkScript(reqs []Request) string {
	var b strings.Builder
	b.WriteString("local reqs = {}\ninit = function(args)\n")
	for _, r := range reqs {
		headers := fmt.Sprintf("{[\"Host\"]=%q", r.Host)
		if r.Cookie != "" {
			headers += fmt.Sprintf(", [\"Cookie\"]=%q", r.Cookie)
		}
		body := "nil"
		if r.Method == "POST" {
			headers += `, ["Content-Type"]="application/x-www-form-urlencoded"`
			body = strconv.Quote(r.Form.Encode())
		}
		fmt.Fprintf(&b, "  table.insert(reqs, wrk.format(%q, %q, %s}, %s))\n", r.Method, r.Path, headers, body)
	}
	b.WriteString(`end
local i = 0
request = function()
  i = i + 1
  return reqs[(i % #reqs) + 1]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), summary.duration))
end
`)
	return b.String()
}
