package dbmigrate

import (
	"context"
	"io/fs"
	"sync"
	"sync/atomic"

	"polls/migrations"
)

// Summary counts the outcome of migrating many tenants. Skipped are those
// never started: after a failure with FailFast, or once interrupted.
type Summary struct {
	Migrated, Current, Failed, Skipped int
}

// Progress is told about each tenant as it finishes: its place in the run
// (1-based, in finishing order), the total, and what happened.
type Progress func(done, total int, res Result, err error)

// Target is one tenant schema to migrate, and the role to act as ("" for none).
type Target struct {
	Schema string
	Role   string
}

// Options tune Run.
type Options struct {
	Jobs     int      // tenants migrated at once (at least 1)
	FailFast bool     // start no tenant after the first failure; those running finish
	Registry Registry // records each tenant's migration; nil records nothing
	Progress Progress // told of each outcome; may be nil
	// Migrations are the tenant migrations; nil means the embedded ones.
	Migrations fs.FS
	// OneStatement sends each migration one statement at a time (Split), in
	// its one transaction still: Citus needs it (see UpOneByOneAs).
	OneStatement bool
}

// Tenants migrates targets with up to workers at once, recording nothing in
// the registry: Run with only those options.
func Tenants(ctx context.Context, url string, schemas []Target, workers int, progress Progress) Summary {
	return Run(ctx, url, schemas, Options{Jobs: workers, Progress: progress})
}

// Run migrates targets with up to o.Jobs at once, after one cheap pass that
// counts the tenants already current without touching them (the registry's
// record when there is one, else each version table). One tenant's failure
// does not stop the others unless o.FailFast; every outcome goes to
// o.Progress. Each tenant's version row is locked by its migration, so two
// runs never apply a step twice, and workers never wait on each other.
func Run(ctx context.Context, url string, schemas []Target, o Options) Summary {
	var mu sync.Mutex
	var sum Summary
	done := 0
	report := func(res Result, err error) { // with mu held
		done++
		if o.Progress != nil {
			o.Progress(done, len(schemas), res, err)
		}
	}
	src := o.Migrations
	if src == nil {
		src = migrations.Tenant()
	}
	steps, err := loadSteps(src)
	latest := uint(0)
	if err == nil && len(steps) > 0 {
		latest = steps[len(steps)-1].version
	} // else cannot happen with embedded files; 0 makes every tenant take the full path
	var current map[string]bool
	if o.Registry != nil {
		current, _ = o.Registry.Recorded(ctx, latest) // on error, nil: no shortcut
	} else {
		current, _ = currentSchemas(ctx, url, schemas, latest)
	}
	var pending []Target
	for _, t := range schemas {
		if current[t.Schema] {
			sum.Current++
			report(Result{Schema: t.Schema, From: latest, To: latest}, nil)
			continue
		}
		pending = append(pending, t)
	}
	jobs := make(chan Target)
	var failed atomic.Bool
	var started atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(o.Jobs, len(pending))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &worker{url: url, src: src, steps: steps, reg: o.Registry, oneByOne: o.OneStatement}
			defer w.close()
			for target := range jobs {
				if o.FailFast && failed.Load() {
					continue // sent before the failure was known: not started
				}
				started.Add(1)
				res, err := w.migrate(ctx, target)
				mu.Lock()
				switch {
				case err != nil:
					sum.Failed++
					failed.Store(true)
				case res.Changed():
					sum.Migrated++
				default:
					sum.Current++
				}
				report(res, err)
				mu.Unlock()
			}
		}()
	}
	for _, s := range pending {
		if ctx.Err() != nil || o.FailFast && failed.Load() {
			break
		}
		jobs <- s
	}
	close(jobs)
	wg.Wait()
	sum.Skipped = len(pending) - int(started.Load())
	return sum
}
