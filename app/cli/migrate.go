package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"polls/app/database"
	"polls/app/dbmigrate"
	"polls/app/tenant"
)

func migrateCommand() *Command {
	return &Command{
		Name:    "migrate",
		Usage:   "[--shared | --tenants | --schema NAME]",
		Summary: "apply migrations: the shared schema, then every tenant (or only what a flag names)",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			shared := fs.Bool("shared", false, "only the shared (public) schema")
			tenants := fs.Bool("tenants", false, "only the tenant schemas")
			schema := fs.String("schema", "", "only this schema (`public` means the shared one)")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 {
					return usageError("migrate takes no arguments, got %q", strings.Join(args, " "))
				}
				set := 0
				for _, b := range []bool{*shared, *tenants, *schema != ""} {
					if b {
						set++
					}
				}
				if set > 1 {
					return usageError("--shared, --tenants and --schema exclude each other: give one, or none for everything")
				}
				rt, err := inv.start(ctx, startOptions{})
				if err != nil {
					return err
				}
				defer rt.close()
				db := rt.db

				doShared := !*tenants && (*schema == "" || *schema == "public")
				doTenants := !*shared && *schema != "public"
				if doShared {
					res, err := dbmigrate.Shared(ctx, db.URL)
					if err != nil {
						return err
					}
					printResult(inv.Stdout, "shared (public)", res)
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
					if *schema == "" || t.Schema == *schema {
						targets = append(targets, dbmigrate.Target{Schema: t.Schema})
					}
				}
				if *schema != "" && len(targets) == 0 {
					return fmt.Errorf("schema %q is not a tenant: `polls tenants` lists them", *schema)
				}
				templateErr := recordTemplate(ctx, inv.Stdout, rt)
				unmoved := 0
				if rt.mode == tenant.IsolationRoles {
					if unmoved, err = giveRoles(ctx, inv.Stdout, db.SQL, rt.roles, ts, targets); err != nil {
						return err
					}
				}
				if err := migrateTenants(ctx, inv.Stdout, db, targets, rt.cfg.Migrate.Workers); err != nil {
					return err
				}
				if err := unmovedError(unmoved); err != nil {
					return err
				}
				return templateErr
			}
		},
	}
}

// recordTemplate brings the template new tenants are built from up to this
// release's migrations, and says how it stands. A failure does not stop the
// tenants' migration (new tenants are then built by replaying), but makes
// the command fail once that is done.
func recordTemplate(ctx context.Context, w io.Writer, rt *runtime) error {
	if rt.cfg.Tenancy.Provision != "template" {
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

func migrateTenants(ctx context.Context, w io.Writer, db *database.DB, schemas []dbmigrate.Target, workers int) error {
	if len(schemas) == 0 {
		fmt.Fprintln(w, "no tenants yet: `polls createtenant` makes one")
		return nil
	}
	fmt.Fprintf(w, "migrating %d tenants, %d at a time\n", len(schemas), min(workers, len(schemas)))
	sum := dbmigrate.Run(ctx, db.URL, schemas, dbmigrate.Options{Jobs: workers, Registry: tenant.VersionRegistry{SQL: db.SQL},
		Progress: func(done, total int, res dbmigrate.Result, err error) {
			prefix := fmt.Sprintf("[%d/%d %3d%%]", done, total, done*100/total)
			if err != nil {
				fmt.Fprintf(w, "%s %s: FAILED: %v\n", prefix, res.Schema, err)
				return
			}
			printResult(w, prefix+" "+res.Schema, res)
		}})
	fmt.Fprintf(w, "tenants: %d migrated, %d already current, %d failed\n", sum.Migrated, sum.Current, sum.Failed)
	if ctx.Err() != nil {
		return fmt.Errorf("migrate interrupted: %w", ctx.Err())
	}
	if sum.Failed > 0 {
		return errors.New("some tenants failed to migrate; fix the cause and run `polls migrate` again: the others are not migrated twice")
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
