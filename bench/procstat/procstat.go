// Package procstat reads CPU time from Linux's /proc, for the benchmarks: the
// CPU a server process used, and the CPU PostgreSQL used (all its processes,
// including backends that have exited since, which the postmaster reaped):
// of one cluster (Cluster), or of every postgres process on the machine
// (Postgres).
package procstat

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of /proc/PID/stat times (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// Process returns the CPU time process pid has used so far; 0 if it is gone.
func Process(pid int) time.Duration {
	st, _ := procStat(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	return st.self
}

// Postgres returns the CPU time used so far by every running postgres
// process plus what the postmaster's exited children used.
func Postgres() time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	pg := map[int]stat{}
	for _, p := range stats {
		if st, ok := procStat(p); ok && st.comm == "postgres" {
			pg[st.pid] = st
		}
	}
	var total time.Duration
	for _, st := range pg {
		total += st.self
		if _, child := pg[st.ppid]; !child {
			total += st.children // the postmaster: its reaped children
		}
	}
	return total
}

// Cluster returns the CPU time used so far by the PostgreSQL cluster whose
// data directory is dataDir: its postmaster, every process it started (the
// backends serving the pools, and the background workers), and those that
// have exited since. Other clusters on the machine (another benchmark's,
// tests') are not counted. 0 if the cluster is not running.
func Cluster(dataDir string) time.Duration {
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	first, _, _ := strings.Cut(string(b), "\n")
	postmaster, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil {
		return 0
	}
	pm, ok := procStat(filepath.Join("/proc", strconv.Itoa(postmaster), "stat"))
	if !ok {
		return 0
	}
	total := pm.self + pm.children
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		if st, ok := procStat(p); ok && st.ppid == postmaster {
			total += st.self
		}
	}
	return total
}

// stat is what this package reads from /proc/PID/stat.
type stat struct {
	pid, ppid      int
	comm           string
	self, children time.Duration // utime+stime, cutime+cstime
}

func procStat(path string) (stat, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return stat{}, false
	}
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return stat{}, false
	}
	// The command name may hold spaces; the fields that follow it do not.
	f := strings.Fields(s[end+1:])
	if len(f) < 15 {
		return stat{}, false
	}
	n := func(i int) int64 { v, _ := strconv.ParseInt(f[i], 10, 64); return v }
	pid, _ := strconv.Atoi(strings.TrimSpace(s[:open]))
	return stat{
		pid: pid, ppid: int(n(1)), comm: s[open+1 : end],
		self:     time.Duration(n(11)+n(12)) * clockTick,
		children: time.Duration(n(13)+n(14)) * clockTick,
	}, true
}
