package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"polls/migrations"
)

// Seed data: every tenant gets the same polls, so any tenant's pages cost the
// same and load can be spread over any number of them.
const (
	questionsPerTenant = 20
	choicesPerQuestion = 3
	hotQuestions       = 5 // detail, results and vote cycle over questions 1..5
)

// seedSQL fills the polls tables of the schema on the search_path.
var seedSQL = fmt.Sprintf(`
INSERT INTO polls_question (id, question_text, pub_date)
SELECT i, 'Benchmark question number ' || i || '?', now() - make_interval(hours => i)
FROM generate_series(1, %[1]d) i;
INSERT INTO polls_choice (id, question_id, choice_text, votes)
SELECT (q - 1) * %[2]d + c, q, 'Choice ' || c, 0 FROM generate_series(1, %[1]d) q, generate_series(1, %[2]d) c;
SELECT setval(pg_get_serial_sequence('polls_question', 'id'), %[1]d);
SELECT setval(pg_get_serial_sequence('polls_choice', 'id'), %[1]d * %[2]d);
`, questionsPerTenant, choicesPerQuestion)

// benchTenant is a tenant the load is sent to.
type benchTenant struct{ schema, domain string }

func tenantNamed(prefix string, i int) benchTenant {
	schema := fmt.Sprintf("%s%05d", prefix, i)
	return benchTenant{schema: schema, domain: strings.ReplaceAll(schema, "_", "-") + ".test"}
}

// pollsCmd runs the polls binary against dbURL, from dir (so no config.yaml
// of the work tree is read), and returns how long it took.
func pollsCmd(ctx context.Context, bin, dir, dbURL string, args ...string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "POLLS_DATABASE_URL="+dbURL)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("polls %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return time.Since(start), nil
}

// createTenants creates tenants [from, to) with `polls createtenant`, workers
// at a time, seeds them, and returns the wall time of the creations.
func createTenants(ctx context.Context, bin, dir, dbURL string, ts []benchTenant, workers int) (time.Duration, error) {
	start := time.Now()
	errs := make(chan error, len(ts))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for _, t := range ts {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := pollsCmd(ctx, bin, dir, dbURL, "createtenant", "--domain", t.domain, "--schema", t.schema,
				"--name", "Tenant "+t.schema); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, err
	}
	elapsed := time.Since(start)
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	for _, t := range ts {
		if _, err := conn.Exec(ctx, "SET search_path TO "+pgx.Identifier{t.schema}.Sanitize()+";"+seedSQL+"RESET search_path"); err != nil {
			return 0, fmt.Errorf("seed %s: %w", t.schema, err)
		}
	}
	return elapsed, nil
}

// bulkTenants is the benchmark's fast path to thousands of tenants: the tenant
// migrations' SQL run directly, with the seed and the registry rows, one round
// trip per tenant over several connections. The schemas are what `polls
// createtenant` builds (tables, indexes, the schema_migrations row), minus a
// tenant role: these tenants fill the catalog and the registry; the load goes
// to tenants made by createtenant (and, in the spread run, to these too).
func bulkTenants(ctx context.Context, dbURL string, ts []benchTenant, workers int) error {
	ddl, latest, err := tenantDDL()
	if err != nil {
		return err
	}
	jobs := make(chan benchTenant)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := pgx.Connect(ctx, dbURL)
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close(ctx)
			for t := range jobs {
				q := pgx.Identifier{t.schema}.Sanitize()
				sql := "CREATE SCHEMA " + q + "; SET search_path TO " + q + ";" + ddl +
					"; CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)" +
					"; INSERT INTO schema_migrations VALUES (" + strconv.FormatUint(uint64(latest), 10) + ", false);" + seedSQL +
					"; RESET search_path; WITH t AS (INSERT INTO public.tenants (schema_name, name, ready) VALUES ('" +
					t.schema + "', 'Tenant " + t.schema + "', true) RETURNING id) " +
					"INSERT INTO public.domains (domain, tenant_id, is_primary) SELECT '" + t.domain + "', id, true FROM t"
				if _, err := conn.Exec(ctx, sql); err != nil {
					errs <- fmt.Errorf("bulk tenant %s: %w", t.schema, err)
					for range jobs {
					}
					return
				}
			}
		}()
	}
	for _, t := range ts {
		jobs <- t
	}
	close(jobs)
	wg.Wait()
	close(errs)
	return <-errs
}

// tenantDDL is every tenant up-migration in order, and the last version.
func tenantDDL() (string, uint, error) {
	src := migrations.Tenant()
	names, err := fs.Glob(src, "*.up.sql")
	if err != nil {
		return "", 0, err
	}
	slices.Sort(names)
	var b strings.Builder
	var latest uint
	for _, n := range names {
		body, err := fs.ReadFile(src, n)
		if err != nil {
			return "", 0, err
		}
		b.Write(body)
		b.WriteString(";\n")
		v, _ := strconv.ParseUint(strings.SplitN(n, "_", 2)[0], 10, 64)
		latest = uint(v)
	}
	return b.String(), latest, nil
}

// buildBinaries builds polls and the baseline into dir.
func buildBinaries(ctx context.Context, root, dir string) (polls, baseline string, err error) {
	polls, baseline = filepath.Join(dir, "polls"), filepath.Join(dir, "baseline")
	for _, b := range []struct{ out, pkg string }{{polls, "."}, {baseline, "./bench/baseline"}} {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", b.out, b.pkg)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", "", fmt.Errorf("go build %s: %w\n%s", b.pkg, err, out)
		}
	}
	return polls, baseline, nil
}
