package dbmigrate

import (
	"context"
	"sync"

	"polls/migrations"
)

// Summary counts the outcome of migrating many tenants.
type Summary struct {
	Migrated, Current, Failed int
}

// Progress is told about each tenant as it finishes: its place in the run
// (1-based, in finishing order), the total, and what happened.
type Progress func(done, total int, res Result, err error)

// Target is one tenant schema to migrate, and the role to act as ("" for none).
type Target struct {
	Schema string
	Role   string
}

// Tenants migrates targets with up to workers at once, after one cheap pass
// that counts the tenants already current without touching them. One tenant's failure
// does not stop the others; every outcome goes to progress. Each schema has its
// own version table and advisory lock, so workers never wait on each other.
func Tenants(ctx context.Context, url string, schemas []Target, workers int, progress Progress) Summary {
	var mu sync.Mutex
	var sum Summary
	done := 0
	latest, err := Latest(migrations.Tenant())
	if err != nil {
		latest = 0 // cannot happen with embedded files; 0 makes every tenant take the full path
	}
	current, _ := currentSchemas(ctx, url, schemas, latest) // on error, nil: no shortcut
	var pending []Target
	for _, t := range schemas {
		if current[t.Schema] {
			sum.Current++
			done++
			progress(done, len(schemas), Result{Schema: t.Schema, From: latest, To: latest}, nil)
			continue
		}
		pending = append(pending, t)
	}

	jobs := make(chan Target)
	var wg sync.WaitGroup
	for range max(1, min(workers, len(pending))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for target := range jobs {
				res, err := Tenant(ctx, url, target.Schema, target.Role)
				mu.Lock()
				switch {
				case err != nil:
					sum.Failed++
				case res.Changed():
					sum.Migrated++
				default:
					sum.Current++
				}
				done++
				progress(done, len(schemas), res, err)
				mu.Unlock()
			}
		}()
	}
	for _, s := range pending {
		if ctx.Err() != nil {
			break
		}
		jobs <- s
	}
	close(jobs)
	wg.Wait()
	return sum
}
