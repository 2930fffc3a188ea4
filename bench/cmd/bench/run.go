package main

import (
	"context"
	"fmt"
	"path/filepath"
	"polls/internal/proc"
	"strconv"
	"time"

	"polls/bench/load"
)

// benchEnv is one benchmark run's servers and settings.
type benchEnv struct {
	o                     options
	dir                   string
	pollsBin, baselineBin string
	useWrk                bool
	r                     *report
	polls, baseline       *server
	pollsURL, baseURL     string
	sessionURL            string // polls' database.session_url, when its pool goes through PgBouncer
	metricsAddr           string // polls' /metrics, read for its allocations
}

// pgData is the benchmark's PostgreSQL data directory, whose cluster's CPU is counted.
func (e *benchEnv) pgData() string { return filepath.Join(e.dir, "pgdata") }

func (e *benchEnv) startServers(ctx context.Context, pollsURL, baselineURL string) error {
	e.pollsURL, e.baseURL = pollsURL, baselineURL
	if err := e.startPolls(ctx); err != nil {
		return err
	}
	return e.startBaseline(ctx)
}

func (e *benchEnv) startPolls(ctx context.Context) error {
	addr, err := proc.FreeAddr()
	if err != nil {
		return err
	}
	env := []string{"POLLS_DATABASE_URL=" + e.pollsURL}
	if e.sessionURL != "" {
		env = append(env, "POLLS_DATABASE_SESSION_URL="+e.sessionURL)
	}
	if e.metricsAddr, err = proc.FreeAddr(); err != nil {
		return err
	}
	cfg, err := serveConfig(e.dir, e.metricsAddr, e.o)
	if err != nil {
		return err
	}
	e.polls, err = startServer(ctx, "polls", e.pollsBin, e.dir, addr, filepath.Join(e.dir, "polls.log"),
		env, "serve", "--config", cfg, "--addr", addr)
	return err
}

func (e *benchEnv) startBaseline(ctx context.Context) error {
	addr, err := proc.FreeAddr()
	if err != nil {
		return err
	}
	e.baseline, err = startServer(ctx, "baseline", e.baselineBin, e.dir, addr, filepath.Join(e.dir, "baseline.log"),
		nil, "-addr", addr, "-db", e.baseURL, "-max-conns", strconv.Itoa(e.o.maxConns))
	return err
}

func (e *benchEnv) stopServers() {
	for _, s := range []*server{e.polls, e.baseline} {
		if s != nil {
			s.stop()
		}
	}
}

// compareHTML checks that both servers send the same index page, so the
// comparison is of equal work.
func (e *benchEnv) compareHTML(t benchTenant) error {
	_, a, err := fetch(e.polls.addr, t.domain, "/polls/")
	if err != nil {
		return err
	}
	_, b, err := fetch(e.baseline.addr, t.domain, "/polls/")
	if err != nil {
		return err
	}
	if a == b {
		e.r.printf("index HTML: identical from both servers (%d bytes)\n", len(a))
		return nil
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	e.r.printf("index HTML: DIFFERS from byte %d (polls %d bytes, baseline %d): polls %q... baseline %q...\n",
		i, len(a), len(b), clip(a[i:], 60), clip(b[i:], 60))
	return nil
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// measure runs every page against polls then the baseline, o.rounds times,
// and prints the table. It returns the rows by page for later comparison.
func (e *benchEnv) measure(ctx context.Context, title string, pages []page) (map[string]row, error) {
	e.r.tableHeader(title)
	rows := map[string]row{}
	for _, p := range pages {
		servers := []*server{e.polls, e.baseline}
		for _, s := range servers { // warm-up: connections, caches, pools
			if _, err := e.load(ctx, s, p, e.o.warmup); err != nil {
				return nil, fmt.Errorf("warm up %s %s: %w", s.name, p.name, err)
			}
		}
		var runs [2][]load.Result
		var cpu [2]cpuUse
		allocs := int64(0)         // polls' heap allocations during its runs
		var takes map[string]int64 // where polls' transactions found their connections
		for range e.o.rounds {
			for i, s := range servers {
				var takesBefore map[string]int64
				if s == e.polls {
					takesBefore = affinityTakes(e.metricsAddr)
				}
				before, mBefore := cpuNow(s.proc.Pid(), e.pgData()), mallocs(e.metricsAddr)
				res, err := e.load(ctx, s, p, e.o.duration)
				if err != nil {
					return nil, fmt.Errorf("%s %s: %w", s.name, p.name, err)
				}
				used := cpuNow(s.proc.Pid(), e.pgData()).sub(before)
				if s == e.polls {
					takes = addTakes(takes, takesBefore, affinityTakes(e.metricsAddr))
					if m := mallocs(e.metricsAddr); m >= 0 && mBefore >= 0 && allocs >= 0 {
						allocs += m - mBefore
					} else {
						allocs = -1
					}
				}
				cpu[i].server += used.server
				cpu[i].postgres += used.postgres
				runs[i] = append(runs[i], res)
				if s == e.polls {
					e.r.sampleMemory(s)
				}
			}
		}
		rw := row{page: p.name, polls: combine(runs[0], cpu[0]), baseline: combine(runs[1], cpu[1])}
		rw.polls.allocs = allocsPerRequest(allocs, runs[0])
		rows[p.name] = rw
		e.r.tableRow(rw)
		if takes != nil {
			e.r.printf("  polls' %s connections: %s\n", p.name, takesLine(takes))
		}
	}
	return rows, nil
}

// allocsPerRequest divides allocations over the requests of runs; -1 when unknown.
func allocsPerRequest(allocs int64, runs []load.Result) float64 {
	n := 0
	for _, r := range runs {
		n += r.Requests
	}
	if allocs < 0 || n == 0 {
		return -1
	}
	return float64(allocs) / float64(n)
}

func (e *benchEnv) load(ctx context.Context, s *server, p page, d time.Duration) (load.Result, error) {
	cfg := load.Config{Addr: s.addr, Conns: e.o.conns, Duration: d, Requests: p.requests}
	if e.useWrk {
		return load.Wrk(ctx, cfg, e.dir)
	}
	return load.Run(ctx, cfg)
}

// roundTrips counts what one request of each page sends to PostgreSQL, with
// both servers connected through a counting proxy (and stopped afterwards).
func (e *benchEnv) roundTrips(ctx context.Context, pgURL string, hosts []benchTenant) error {
	c, err := startCounter(pgURL)
	if err != nil {
		return err
	}
	defer c.close()
	pollsURL := c.URL
	if e.o.execMode != "" {
		pollsURL = withParam(pollsURL, "default_query_exec_mode", e.o.execMode)
	}
	if err := e.startServers(ctx, pollsURL, c.URL); err != nil {
		return err
	}
	defer func() {
		e.stopServers()
		e.polls, e.baseline = nil, nil
	}()
	e.r.printf("\nDatabase round trips per request (one request at a time, counted on the wire):\n")
	for _, s := range []*server{e.polls, e.baseline} {
		lines, err := countRoundTrips(ctx, c, s.addr, buildPages(hosts), 200)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		for _, l := range lines {
			e.r.printf("  %-8s %s\n", s.name, l)
		}
	}
	return nil
}
