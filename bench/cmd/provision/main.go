// Command provision is `make bench-provision`: how long creating a tenant
// takes, from the recorded template and by replaying the migrations, with
// extra synthetic migrations (30 by default) and as tenants accumulate. It
// creates -tenants tenants per mode, -workers at a time, through the real
// tenant.Provisioner (as createtenant does, without the process start), and
// prints the median and tail of each block of -block tenants and the total
// time; before and after that, -alone tenants made one at a time, the
// latency of a lone createtenant on an empty and on a full database.
// Figures, not assertions.
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"polls/app/database"
	"polls/app/dbmigrate"
	"polls/app/embeddedpg"
	"polls/app/tenant"
	"polls/migrations"
)

type options struct {
	tenants, workers, extra, block int
	alone                          int
	modes, url, isolation          string
}

func main() {
	var o options
	flag.IntVar(&o.tenants, "tenants", 1000, "tenants to create with each mode")
	flag.IntVar(&o.workers, "workers", 4, "creations at once")
	flag.IntVar(&o.extra, "extra", 30, "synthetic tenant migrations added after the real ones")
	flag.IntVar(&o.alone, "alone", 100, "before and after the many, create this many one at a time (0: skip)")
	flag.IntVar(&o.block, "block", 1000, "report the latencies of each block of this many creations")
	flag.StringVar(&o.modes, "modes", "template,migrations", "comma-separated: template, migrations")
	flag.StringVar(&o.isolation, "isolation", "roles", "roles (a role per tenant, granted to the creating user) or search_path (no roles)")
	flag.StringVar(&o.url, "url", "", "an existing database to create tenants in (default: a private throw-away PostgreSQL, fsync off)")
	flag.Parse()
	if o.isolation != string(tenant.IsolationRoles) && o.isolation != string(tenant.IsolationSearchPath) {
		fmt.Fprintf(os.Stderr, "bench-provision: -isolation %q is not roles or search_path\n", o.isolation)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench-provision:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	url := o.url
	if url == "" {
		dir, err := os.MkdirTemp("", "polls-provision-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if err := os.Chmod(dir, 0o755); err != nil { // as root, PostgreSQL runs as another account
			return err
		}
		pg, err := embeddedpg.Start(ctx, embeddedpg.Options{DataDir: filepath.Join(dir, "pgdata"), Fast: true, Database: "polls"})
		if err != nil {
			return err
		}
		defer pg.Stop(context.WithoutCancel(ctx))
		url = pg.URL("polls")
	}
	if _, err := dbmigrate.Shared(ctx, url); err != nil {
		return err
	}
	db, err := database.Open(ctx, url, o.workers+2)
	if err != nil {
		return err
	}
	defer db.Close()
	roles, err := tenant.ResolveRoles(ctx, db.SQL, "")
	if err != nil {
		return err
	}
	src := withSynthetic(o.extra)
	fmt.Printf("tenant migrations: the real ones and %d synthetic; %d tenants per mode, %d at a time; isolation %s\n", o.extra, o.tenants, o.workers, o.isolation)
	for i, mode := range splitModes(o.modes) {
		p := &tenant.Provisioner{SQL: db.SQL, URL: url, Migrations: src, Roles: roles, Isolation: tenant.Isolation(o.isolation), Replay: mode == "migrations"}
		if !p.Replay {
			start := time.Now()
			t, _, err := p.RecordTemplate(ctx)
			if err != nil {
				return err
			}
			if t.Unusable != "" {
				return fmt.Errorf("the template is unusable: %s", t.Unusable)
			}
			fmt.Printf("\n%s: template recorded in %v (version %d)\n", mode, time.Since(start).Round(time.Millisecond), t.Version)
		} else {
			fmt.Printf("\n%s:\n", mode)
		}
		alone := o
		alone.tenants, alone.workers, alone.block = o.alone, 1, max(o.alone, 1)
		if o.alone > 0 {
			fmt.Printf("  one at a time, before:\n")
			if err := createMany(ctx, p, fmt.Sprintf("a%d_", i), alone); err != nil {
				return err
			}
		}
		fmt.Printf("  %d at a time:\n", o.workers)
		if err := createMany(ctx, p, fmt.Sprintf("b%d_", i), o); err != nil {
			return err
		}
		if o.alone > 0 {
			fmt.Printf("  one at a time, after:\n")
			if err := createMany(ctx, p, fmt.Sprintf("c%d_", i), alone); err != nil {
				return err
			}
		}
	}
	return nil
}

// createMany creates o.tenants tenants named prefix+number and reports.
func createMany(ctx context.Context, p *tenant.Provisioner, prefix string, o options) error {
	durations := make([]time.Duration, o.tenants)
	var next atomic.Int64
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range o.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= o.tenants || ctx.Err() != nil {
					return
				}
				schema := fmt.Sprintf("%s%05d", prefix, i)
				t0 := time.Now()
				err := p.Create(ctx, tenant.NewTenant{Schema: schema, Domain: fmt.Sprintf("%s%05d.bench", prefix[:len(prefix)-1], i), Name: schema})
				durations[i] = time.Since(t0)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	total := time.Since(start)
	if firstErr != nil {
		return firstErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	fmt.Printf("  %-13s %8s %8s %8s\n", "tenants", "p50", "p90", "p99")
	for from := 0; from < o.tenants; from += o.block {
		to := min(from+o.block, o.tenants)
		b := slices.Clone(durations[from:to])
		slices.Sort(b)
		fmt.Printf("  %5d-%-7d %8s %8s %8s\n", from+1, to, ms(pct(b, 50)), ms(pct(b, 90)), ms(pct(b, 99)))
	}
	all := slices.Clone(durations)
	slices.Sort(all)
	fmt.Printf("  all: p50 %s, %d tenants in %v (%.1f a second)\n", ms(pct(all, 50)), o.tenants, total.Round(time.Second/10), float64(o.tenants)/total.Seconds())
	return nil
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[(len(sorted)-1)*p/100]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

func splitModes(s string) []string {
	var out []string
	for _, m := range []string{"template", "migrations"} {
		if slices.Contains(strings.Split(s, ","), m) {
			out = append(out, m)
		}
	}
	return out
}

// withSynthetic is the real tenant migrations followed by n more of the
// kinds a product accumulates: new columns, tables, indexes, data fixes.
func withSynthetic(n int) fs.FS {
	extra := map[string]string{}
	for i := range n {
		var sql string
		switch i % 4 {
		case 0:
			sql = fmt.Sprintf("ALTER TABLE polls_question ADD COLUMN extra_%d text NOT NULL DEFAULT '';", i)
		case 1:
			sql = fmt.Sprintf("CREATE TABLE extra_%d (id bigserial PRIMARY KEY, question_id bigint REFERENCES polls_question (id) ON DELETE CASCADE, note text NOT NULL DEFAULT '', created timestamptz NOT NULL DEFAULT now());", i)
		case 2:
			sql = fmt.Sprintf("CREATE INDEX extra_%d_idx ON polls_choice (votes, id);", i)
		default:
			sql = fmt.Sprintf("UPDATE polls_choice SET votes = votes WHERE votes < 0; COMMENT ON TABLE polls_choice IS 'revision %d';", i)
		}
		name := fmt.Sprintf("%06d_synthetic_%d", 100+i, i)
		extra[name+".up.sql"] = "BEGIN;\n" + sql + "\nCOMMIT;\n"
		extra[name+".down.sql"] = "SELECT 1;\n"
	}
	return migrations.TenantWith(extra)
}
