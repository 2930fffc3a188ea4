// Command bench is `make bench`: polls against the baseline server
// (bench/baseline) on one private PostgreSQL with the same tenants and data,
// driven in turns (polls, baseline, polls, baseline, ...) by one load
// generator, page by page. It prints requests/s, p50 and p99 latency, errors,
// polls' resident memory and the polls/baseline ratio of each page, the
// database round trips one request of each page makes, and with -tenants N the
// index page again once N tenants exist. Figures, not assertions: it fails
// only when something does not work.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"polls/app/config"
	"polls/app/embeddedpg"
	"polls/bench/load"
	"polls/internal/pgbouncer"
)

type options struct {
	tenants, hosts, spread int
	conns, rounds          int
	maxConns               int // both servers' pool size; 0: polls' default
	duration, warmup       time.Duration
	loadgen                string
	pgbouncer, keep        bool
	execMode, pagesFlag    string
	roundTrips             bool
	noisy                  bool
	affinity               bool // polls' database.affinity
	pipelineScope          bool // polls' database.pipeline_scope
	commitBehind           bool // polls' database.commit_behind
	shares                 bool // polls' tenancy.max_conns_per_tenant at its default (false: the whole pool)
}

func main() {
	var o options
	flag.IntVar(&o.tenants, "tenants", 2, "tenants in the database; above -hosts, the index is measured again once they all exist")
	flag.IntVar(&o.hosts, "hosts", 2, "tenants the load is spread over (made with polls createtenant)")
	flag.IntVar(&o.spread, "spread", 1000, "with -tenants N: also spread the index load over this many tenants")
	flag.IntVar(&o.conns, "conns", 32, "concurrent connections")
	flag.IntVar(&o.rounds, "rounds", 2, "polls/baseline turns per page")
	flag.IntVar(&o.maxConns, "max-conns", 0, "pool size of both servers and of PgBouncer (polls' database.max_conns; 0: polls' default, which is larger behind PgBouncer)")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "length of one run")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "unrecorded load before each page")
	flag.StringVar(&o.loadgen, "load", "auto", "load generator: go, wrk, or auto (wrk when installed)")
	flag.BoolVar(&o.pgbouncer, "pgbouncer", false, "run both servers through PgBouncer in transaction mode")
	flag.StringVar(&o.execMode, "exec-mode", "", "pgx default_query_exec_mode for polls (default: polls' own choice)")
	flag.StringVar(&o.pagesFlag, "pages", "index,detail,results,vote", "pages to measure")
	flag.BoolVar(&o.roundTrips, "roundtrips", true, "count the database round trips of one request per page")
	flag.BoolVar(&o.noisy, "noisy", false, "instead of the pages: a quiet tenant's index alone and while another tenant or client misbehaves")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (database, logs)")
	flag.BoolVar(&o.affinity, "affinity", true, "polls' database.affinity (false: any idle connection)")
	flag.BoolVar(&o.pipelineScope, "pipeline-scope", true, "polls' database.pipeline_scope (false: BEGIN and SET LOCAL sent alone)")
	flag.BoolVar(&o.commitBehind, "commit-behind", true, "polls' database.commit_behind (false: every COMMIT waited for)")
	flag.BoolVar(&o.shares, "shares", true, "polls' per-tenant share of the pool at its default (false: one tenant may take the whole pool)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	if o.hosts < 2 || o.tenants < o.hosts {
		return errors.New("need -hosts >= 2 and -tenants >= -hosts")
	}
	if o.maxConns == 0 { // polls' default for where its database.url leads
		o.maxConns = config.DefaultMaxConns
		if o.pgbouncer {
			o.maxConns = config.PoolerMaxConns
		}
	}
	if o.maxConns < 2 {
		return errors.New("need -max-conns >= 2 (polls' database.max_conns)")
	}
	useWrk := o.loadgen == "wrk" || (o.loadgen == "auto" && load.HaveWrk())
	if o.loadgen == "wrk" && !load.HaveWrk() {
		return fmt.Errorf("wrk not found; install it with: %s (or use -load go)", load.WrkInstall)
	}
	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "polls-bench-*")
	if err != nil {
		return err
	}
	// PostgreSQL runs as an unprivileged account when we are root: it must
	// be able to enter the directory.
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	if o.keep {
		fmt.Printf("keeping %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	r := &report{o: o}
	r.machine(useWrk)

	pollsBin, baselineBin, err := buildBinaries(ctx, root, dir)
	if err != nil {
		return err
	}
	pg, err := embeddedpg.Start(ctx, embeddedpg.Options{DataDir: filepath.Join(dir, "pgdata"), Fast: true, Database: "polls"})
	if err != nil {
		return err
	}
	defer pg.Stop(context.WithoutCancel(ctx))
	pgURL := pg.URL("polls")

	hosts := make([]benchTenant, o.hosts)
	for i := range hosts {
		hosts[i] = tenantNamed("bench_", i+1)
	}
	if _, err := pollsCmd(ctx, pollsBin, dir, pgURL, "migrate", "--shared"); err != nil {
		return err
	}
	took, err := createTenants(ctx, pollsBin, dir, pgURL, hosts, 1)
	if err != nil {
		return err
	}
	r.printf("setup: %d tenants with `polls createtenant`, one after another: %v (%v each)\n",
		len(hosts), took.Round(time.Millisecond), (took / time.Duration(len(hosts))).Round(time.Millisecond))

	serveURL := pgURL
	if o.pgbouncer {
		pb, err := pgbouncer.Start(ctx, filepath.Join(dir, "pgbouncer"), pgURL, o.maxConns)
		if err != nil {
			return err
		}
		defer pb.Stop()
		serveURL = pb.URL
		r.printf("pgbouncer: transaction mode, 20 server connections, both servers connect through it\n")
	}
	pollsURL := serveURL
	if o.execMode != "" {
		pollsURL = withParam(pollsURL, "default_query_exec_mode", o.execMode)
	}
	env := &benchEnv{o: o, dir: dir, pollsBin: pollsBin, baselineBin: baselineBin, useWrk: useWrk, r: r}
	if o.roundTrips && !o.noisy {
		if err := env.roundTrips(ctx, pgURL, hosts); err != nil {
			return err
		}
	}
	if o.pgbouncer {
		env.sessionURL = pgURL // LISTEN and migrations need a session of their own
	}
	if err := env.startServers(ctx, pollsURL, serveURL); err != nil {
		return err
	}
	defer env.stopServers()
	if o.noisy {
		if err := env.noisy(ctx, pgURL, hosts[0], hosts[1]); err != nil {
			return err
		}
		r.memory(env.polls, env.metricsAddr)
		return nil
	}
	if err := env.compareHTML(hosts[0]); err != nil {
		return err
	}
	pages := selectPages(buildPages(hosts), o.pagesFlag)
	first, err := env.measure(ctx, fmt.Sprintf("%d tenants, load on %d", o.hosts, o.hosts), pages)
	if err != nil {
		return err
	}
	if index, ok := first["index"]; ok && index.polls.allocs >= 0 {
		r.printf("\npolls allocations per index request: %.0f (go_memstats_mallocs_total over the index runs)\n", index.polls.allocs)
	}
	if o.tenants > o.hosts {
		if err := env.manyTenants(ctx, pgURL, serveURL, pollsURL, hosts, first); err != nil {
			return err
		}
	}
	r.memory(env.polls, env.metricsAddr)
	return nil
}

// moduleRoot is the directory of polls' go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run bench from inside the polls module (make bench)")
	}
	return filepath.Dir(mod), nil
}

// withParam adds key=value to a postgres:// URL's query.
func withParam(u, key, value string) string {
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + key + "=" + url.QueryEscape(value)
}
