package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"polls/app/database"
	"polls/app/dbmigrate"
	"polls/app/tenant"
)

// migrateFlags are what `polls migrate` was asked to do.
type migrateFlags struct {
	shared, tenants, failFast, json, status, noInput bool
	schema, force                                    string
	jobs                                             int
}

func migrateCommand() *Command {
	return &Command{
		Name:    "migrate",
		Usage:   "[--shared | --tenants | --schema NAME] [--jobs N] [--fail-fast] [--json] | --status [--json] | --schema NAME --force VERSION [--no-input]",
		Summary: "apply migrations: the shared schema, then every tenant (or only what a flag names); --status shows where each tenant is",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			var f migrateFlags
			fs.BoolVar(&f.shared, "shared", false, "only the shared (public) schema")
			fs.BoolVar(&f.tenants, "tenants", false, "only the tenant schemas")
			fs.StringVar(&f.schema, "schema", "", "only this schema (`public` means the shared one)")
			fs.IntVar(&f.jobs, "jobs", 0, "tenants migrated at once (default: migrate.workers, or twice the CPUs, below database.max_conns)")
			fs.BoolVar(&f.failFast, "fail-fast", false, "start no tenant after the first failure (those running finish)")
			fs.BoolVar(&f.json, "json", false, "one JSON object a line: each tenant's outcome, then a summary (with --status: each tenant, then the totals)")
			fs.BoolVar(&f.status, "status", false, "change nothing: each tenant's version, pending migrations, and whether it is dirty or failed")
			fs.StringVar(&f.force, "force", "", "with --schema: record that tenant at `VERSION`, clean (after checking its schema by hand)")
			fs.BoolVar(&f.noInput, "no-input", false, "with --force: do not ask for confirmation (for scripts)")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 {
					return usageError("migrate takes no arguments, got %q", strings.Join(args, " "))
				}
				if err := f.check(); err != nil {
					return err
				}
				rt, err := inv.start(ctx, startOptions{})
				if err != nil {
					return err
				}
				defer rt.close()
				switch {
				case f.status:
					return migrateStatus(ctx, inv.Stdout, rt.db, f.schema, f.json)
				case f.force != "":
					version, _ := strconv.ParseUint(f.force, 10, 64) // checked
					return forceVersion(ctx, inv, rt.db, f.schema, uint(version), f.noInput)
				}
				return migrate(ctx, inv, rt, f)
			}
		},
	}
}

// check refuses flags that make no sense together.
func (f migrateFlags) check() error {
	set := 0
	for _, b := range []bool{f.shared, f.tenants, f.schema != ""} {
		if b {
			set++
		}
	}
	switch {
	case set > 1:
		return usageError("--shared, --tenants and --schema exclude each other: give one, or none for everything")
	case f.jobs < 0:
		return usageError("--jobs must be at least 1, got %d", f.jobs)
	case f.status && (f.shared || f.tenants || f.force != "" || f.failFast || f.jobs != 0):
		return usageError("--status takes only --schema and --json")
	case f.force != "":
		if f.schema == "" || f.schema == "public" || f.shared || f.tenants || f.failFast || f.json || f.jobs != 0 {
			return usageError("--force VERSION takes --schema NAME (a tenant) and --no-input only")
		}
		if v, err := strconv.ParseUint(f.force, 10, 64); err != nil || v == 0 {
			return usageError("--force needs a migration version (a whole number above 0), got %q", f.force)
		}
	case f.noInput:
		return usageError("--no-input goes with --force")
	}
	return nil
}

// migrate applies the shared migrations and then each tenant's.
func migrate(ctx context.Context, inv *Invocation, rt *runtime, f migrateFlags) error {
	db := rt.db
	// With --json, stdout is JSON lines only; what else is said goes to stderr.
	info := inv.Stdout
	if f.json {
		info = inv.Stderr
	}
	doShared := !f.tenants && (f.schema == "" || f.schema == "public")
	doTenants := !f.shared && f.schema != "public"
	if doShared {
		res, err := dbmigrate.Shared(ctx, db.URL)
		if err != nil {
			return err
		}
		printResult(info, "shared (public)", res)
	}
	if !doTenants {
		return nil
	}
	ts, err := tenant.List(ctx, db.SQL)
	if err != nil {
		return registryMissing(err)
	}
	var targets []dbmigrate.Target
	for _, t := range ts {
		if f.schema == "" || t.Schema == f.schema {
			targets = append(targets, dbmigrate.Target{Schema: t.Schema})
		}
	}
	if f.schema != "" && len(targets) == 0 {
		return fmt.Errorf("schema %q is not a tenant: `polls tenants` lists them", f.schema)
	}
	templateErr := recordTemplate(ctx, info, rt)
	unmoved := 0
	if rt.mode == tenant.IsolationRoles {
		if unmoved, err = giveRoles(ctx, info, db.SQL, rt.roles, ts, targets); err != nil {
			return err
		}
	}
	jobs := f.jobs
	if jobs == 0 {
		jobs = rt.cfg.MigrateJobs()
	}
	out := newMigrateOutput(inv.Stdout, f.json)
	if err := migrateTenants(ctx, info, out, db, targets, jobs, f.failFast, rt.citus.Present); err != nil {
		return err
	}
	if err := unmovedError(unmoved); err != nil {
		return err
	}
	return templateErr
}

// recordTemplate brings the template new tenants are built from up to this
// release's migrations, and says how it stands. A failure does not stop the
// tenants' migration (new tenants are then built by replaying), but makes
// the command fail once that is done.
func recordTemplate(ctx context.Context, w io.Writer, rt *runtime) error {
	if rt.cfg.Tenancy.Provision != "template" {
		return nil
	}
	if rt.citus.Present {
		fmt.Fprintln(w, "template: not used on a Citus coordinator, new tenants are built by their migrations, one statement at a time")
		return nil
	}
	t, recorded, err := rt.provisioner().RecordTemplate(ctx)
	switch {
	case err != nil:
		fmt.Fprintf(w, "template: FAILED: %v\n", err)
		return fmt.Errorf("the template for new tenants could not be recorded (they are built by their migrations meanwhile): %w", err)
	case t.Unusable != "":
		fmt.Fprintf(w, "template: not used, new tenants are built by their migrations: %s\n", t.Unusable)
	case recorded:
		fmt.Fprintf(w, "template: recorded for new tenants at version %d\n", t.Version)
	default:
		fmt.Fprintf(w, "template: already current (version %d)\n", t.Version)
	}
	return nil
}

// migrateTenants migrates schemas jobs at a time, each outcome and the
// summary told to out, and fails if any tenant did.
func migrateTenants(ctx context.Context, info io.Writer, out migrateOutput, db *database.DB, schemas []dbmigrate.Target, jobs int, failFast, oneByOne bool) error {
	if len(schemas) == 0 {
		fmt.Fprintln(info, "no tenants yet: `polls createtenant` makes one")
		return nil
	}
	fmt.Fprintf(info, "migrating %d tenants, %d at a time\n", len(schemas), min(jobs, len(schemas)))
	start := time.Now()
	out.start(len(schemas))
	sum := dbmigrate.Run(ctx, db.URL, schemas, dbmigrate.Options{
		Jobs: jobs, FailFast: failFast, Registry: tenant.VersionRegistry{SQL: db.SQL}, Progress: out.tenant,
		OneStatement: oneByOne, // a Citus coordinator takes one statement per query
	})
	out.summary(sum, time.Since(start))
	if ctx.Err() != nil {
		return fmt.Errorf("migrate interrupted: %w", ctx.Err())
	}
	if sum.Failed > 0 {
		return errors.New("some tenants failed to migrate (`polls migrate --status` shows why); fix the cause and run `polls migrate` again: the others are not migrated twice")
	}
	return nil
}

func printResult(w io.Writer, label string, res dbmigrate.Result) {
	if res.Changed() {
		fmt.Fprintf(w, "%s: migrated from version %d to %d\n", label, res.From, res.To)
		return
	}
	fmt.Fprintf(w, "%s: already current (version %d), nothing to do\n", label, res.To)
}
