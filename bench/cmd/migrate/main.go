// Command migrate is `make bench-migrate`: how long `polls migrate` takes
// with many tenants. It starts a private PostgreSQL (fsync off), creates
// -tenants tenants from the template, -workers at a time, as createtenant
// does; then times a no-op `polls migrate` (the real binary, built here),
// one new migration adding a column with a default applied to every
// tenant -jobs at a time (through dbmigrate.Run, as `polls migrate` calls
// it, with that migration added to the embedded ones) while `polls serve`
// (the previous release) serves every tenant's index under load, counting
// its answers by status, and the no-op again. Figures, not assertions.
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
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
	tenants, workers, jobs int
	version, conns         int
	serve                  bool
	dataDir                string
}

func main() {
	var o options
	flag.IntVar(&o.tenants, "tenants", 10000, "tenants to create before migrating")
	flag.IntVar(&o.workers, "workers", 2, "creations at once")
	flag.IntVar(&o.jobs, "jobs", 2*runtime.GOMAXPROCS(0), "tenants migrated at once")
	flag.BoolVar(&o.serve, "serve", true, "during the new migration, polls serve under load over every tenant's index (the previous release)")
	flag.IntVar(&o.conns, "conns", 16, "with -serve: concurrent connections of the load")
	flag.StringVar(&o.dataDir, "datadir", "", "keep the private PostgreSQL's data here and reuse it next time (default: a throw-away one)")
	flag.IntVar(&o.version, "version", 900000, "the new migration's version (another one to rerun on a kept -datadir)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench-migrate:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	dir, err := os.MkdirTemp("", "polls-bench-migrate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil { // as root, PostgreSQL runs as another account
		return err
	}
	bin := filepath.Join(dir, "polls")
	fmt.Println("building polls")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, out)
	}
	dataDir := o.dataDir
	if dataDir == "" {
		dataDir = filepath.Join(dir, "pgdata")
	}
	pg, err := embeddedpg.Start(ctx, embeddedpg.Options{DataDir: dataDir, Fast: true, Database: "polls"})
	if err != nil {
		return err
	}
	defer pg.Stop(context.WithoutCancel(ctx))
	url := pg.URL("polls")
	if _, err := dbmigrate.Shared(ctx, url); err != nil {
		return err
	}
	db, err := database.Open(ctx, url, o.workers+2)
	if err != nil {
		return err
	}
	defer db.Close()
	if had, err := tenant.List(ctx, db.SQL); err != nil {
		return err
	} else if len(had) == 0 {
		if err := createTenants(ctx, db, url, o); err != nil {
			return err
		}
	}
	if err := timeBinary(ctx, bin, url, "no-op `polls migrate` (real binary)", "migrate"); err != nil {
		return err
	}
	if err := timeBinary(ctx, bin, url, "`polls migrate --status` (real binary)", "migrate", "--status"); err != nil {
		return err
	}
	src := withNote(o.version)
	ts, err := tenant.List(ctx, db.SQL)
	if err != nil {
		return err
	}
	targets := make([]dbmigrate.Target, len(ts))
	for i, t := range ts {
		targets[i] = dbmigrate.Target{Schema: t.Schema, Role: t.Role}
	}
	reg := tenant.VersionRegistry{SQL: db.SQL}
	for i, label := range []string{"ADD COLUMN note to every tenant", "no-op again (in-process)"} {
		var served *rollout
		if i == 0 && o.serve {
			if served, err = startRollout(ctx, bin, dir, url, ts, o.conns); err != nil {
				return err
			}
		}
		var windows []time.Duration
		var done atomic.Int64
		start := time.Now()
		tick := time.NewTicker(10 * time.Second)
		stopTick := make(chan struct{})
		go func() {
			for {
				select {
				case <-tick.C:
					n := done.Load()
					fmt.Printf("  ... %d/%d after %v (%.0f a second)\n", n, len(targets), time.Since(start).Round(time.Second), float64(n)/time.Since(start).Seconds())
				case <-stopTick:
					return
				}
			}
		}()
		var firstErr error
		var mu sync.Mutex
		sum := dbmigrate.Run(ctx, url, targets, dbmigrate.Options{Jobs: o.jobs, Registry: reg, Migrations: src,
			Progress: func(_, _ int, res dbmigrate.Result, err error) {
				done.Add(1)
				if res.Changed() {
					windows = append(windows, res.Took) // Progress calls come one at a time
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}})
		tick.Stop()
		close(stopTick)
		took := time.Since(start)
		fmt.Printf("%s, %d at a time: %v (%.0f tenants a second): %+v\n", label, o.jobs, took.Round(time.Millisecond), float64(len(targets))/took.Seconds(), sum)
		if served != nil {
			served.stop(windows)
		}
		if firstErr != nil {
			return fmt.Errorf("first failure: %w", firstErr)
		}
	}
	return nil
}

// createTenants makes o.tenants tenants from the template, o.workers at once.
func createTenants(ctx context.Context, db *database.DB, url string, o options) error {
	roles, err := tenant.ResolveRoles(ctx, db.SQL, "")
	if err != nil {
		return err
	}
	p := &tenant.Provisioner{SQL: db.SQL, URL: url, Roles: roles, Isolation: tenant.IsolationRoles}
	if _, _, err := p.RecordTemplate(ctx); err != nil {
		return err
	}
	fmt.Printf("creating %d tenants, %d at a time\n", o.tenants, o.workers)
	start := time.Now()
	var next atomic.Int64
	errs := make(chan error, o.workers)
	var wg sync.WaitGroup
	for range o.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= o.tenants || ctx.Err() != nil {
					return
				}
				if i > 0 && i%1000 == 0 {
					fmt.Printf("  ... %d after %v\n", i, time.Since(start).Round(time.Second))
				}
				schema := fmt.Sprintf("t%05d", i)
				if err := p.Create(ctx, tenant.NewTenant{Schema: schema, Domain: schema + ".bench", Name: schema}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	fmt.Printf("created %d tenants in %v\n", o.tenants, time.Since(start).Round(time.Second))
	return ctx.Err()
}

// timeBinary runs polls with args against url and prints how long it took.
func timeBinary(ctx context.Context, bin, url, label string, args ...string) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "POLLS_DATABASE_URL="+url)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		return fmt.Errorf("polls migrate: %w\n%s", err, tail(out))
	}
	fmt.Printf("%s: %v; it said: %s", label, took.Round(time.Millisecond), tail(out))
	return nil
}

// tail is the last line of out.
func tail(out []byte) []byte {
	end := len(out) - 1
	for end > 0 && out[end-1] != '\n' {
		end--
	}
	return out[max(end, 0):]
}

// withNote is the real tenant migrations and one more: a column with a
// default added to a tenant table, the example.
func withNote(version int) fs.FS {
	col := "note"
	if version != 900000 {
		col = fmt.Sprintf("note_%d", version)
	}
	name := fmt.Sprintf("%06d_question_%s", version, col)
	return migrations.TenantWith(map[string]string{
		name + ".up.sql":   "BEGIN;\nALTER TABLE polls_question ADD COLUMN " + col + " text NOT NULL DEFAULT '';\nCOMMIT;\n",
		name + ".down.sql": "ALTER TABLE polls_question DROP COLUMN " + col + ";\n",
	})
}
