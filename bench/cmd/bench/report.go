package main

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"polls/bench/load"
)

// report prints as it goes, so a long run shows its progress.
type report struct {
	o               options
	maxRSS, lastHWM int64 // polls' resident memory: the most seen after a run, and its peak
}

func (r *report) printf(format string, a ...any) { fmt.Printf(format, a...) }

func (r *report) machine(wrk bool) {
	gen := "Go (bench/load)"
	if wrk {
		gen = "wrk (2 threads)"
	} else if !load.HaveWrk() {
		gen += "; for wrk: " + load.WrkInstall
	}
	host, _ := os.Hostname()
	r.printf("polls benchmark on %s: %d CPUs, %s; %d connections, %v per run, %d turns per page\n",
		host, runtime.NumCPU(), runtime.Version(), r.o.conns, r.o.duration, r.o.rounds)
	r.printf("load generator: %s\n", gen)
}

// row is one page's figures for both servers.
type row struct {
	page            string
	polls, baseline summary
}

// summary is one server's figures over its runs of a page.
type summary struct {
	rps      float64
	perRun   []float64
	p50, p99 time.Duration
	errors   int
	firstErr string
	// CPU per successful request: the server's own, and PostgreSQL's.
	cpuServer, cpuPG time.Duration
	// allocs is polls' heap allocations per request (from its metrics); 0
	// for the baseline, -1 when they could not be read.
	allocs float64
}

// combine adds runs up: requests over time, latencies merged (or, from wrk,
// the median p50 and the worst p99 of the runs).
func combine(runs []load.Result, cpu cpuUse) summary {
	var s summary
	var reqs int
	var elapsed time.Duration
	var lat []time.Duration
	var p50s []time.Duration
	for _, r := range runs {
		reqs += r.Requests
		elapsed += r.Elapsed
		s.errors += r.Errors
		if s.firstErr == "" {
			s.firstErr = r.FirstErr
		}
		s.perRun = append(s.perRun, r.RPS())
		lat = append(lat, r.Latencies...)
		p50s = append(p50s, r.P50)
		s.p99 = max(s.p99, r.P99)
	}
	s.rps = float64(reqs) / elapsed.Seconds()
	if reqs > 0 {
		s.cpuServer, s.cpuPG = cpu.server/time.Duration(reqs), cpu.postgres/time.Duration(reqs)
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		s.p50, s.p99 = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
	} else {
		slices.Sort(p50s)
		s.p50 = p50s[len(p50s)/2]
	}
	return s
}

func (r *report) tableHeader(title string) {
	r.printf("\n%s\n", title)
	r.printf("%-8s %-9s %8s %8s %8s %6s %9s %10s %10s  %-16s %s\n", "page", "server", "req/s", "p50", "p99", "errors",
		"CPU/req", "PG CPU/req", "allocs/req", "req/s per turn", "polls/baseline")
}

func (r *report) tableRow(rw row) {
	for _, s := range []struct {
		name string
		sum  summary
	}{{"polls", rw.polls}, {"baseline", rw.baseline}} {
		var turns []string
		for _, v := range s.sum.perRun {
			turns = append(turns, fmt.Sprintf("%.0f", v))
		}
		ratio := ""
		if s.name == "polls" {
			ratio = fmt.Sprintf("%.2f", rw.polls.rps/rw.baseline.rps)
		}
		allocs := "-"
		if s.name == "polls" && s.sum.allocs >= 0 {
			allocs = fmt.Sprintf("%.0f", s.sum.allocs)
		}
		r.printf("%-8s %-9s %8.0f %8s %8s %6d %9s %10s %10s  %-16s %s\n", rw.page, s.name, s.sum.rps, ms(s.sum.p50),
			ms(s.sum.p99), s.sum.errors, us(s.sum.cpuServer), us(s.sum.cpuPG), allocs, strings.Join(turns, " "), ratio)
		if s.sum.firstErr != "" {
			r.printf("         first error: %s\n", s.sum.firstErr)
		}
	}
}

func us(d time.Duration) string { return fmt.Sprintf("%dµs", d.Microseconds()) }

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// sampleMemory records polls' resident memory right after a run.
func (r *report) sampleMemory(s *server) {
	rss, hwm := s.memory()
	r.maxRSS = max(r.maxRSS, rss)
	r.lastHWM = max(r.lastHWM, hwm)
}

func (r *report) memory(s *server, metricsAddr string) {
	rss, hwm := s.memory()
	r.lastHWM = max(r.lastHWM, hwm)
	r.printf("\npolls serve memory: resident %s now, %s at most right after a run, %s peak (VmHWM)\n",
		mb(rss), mb(r.maxRSS), mb(r.lastHWM))
	r.printf("  of which mapped files (the binary's code and read-only data, libc): %s now\n", mb(s.mappedFiles()))
	r.printf("  of which Go: heap in use %s, next GC at %s, obtained from the OS %s\n",
		mb(metric(metricsAddr, "go_memstats_heap_inuse_bytes")), mb(metric(metricsAddr, "go_memstats_next_gc_bytes")),
		mb(metric(metricsAddr, "go_memstats_sys_bytes")))
}

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }
