package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"polls/app/dbmigrate"
	"polls/app/djangoimport"
	"polls/app/tenant"
)

func importDjangoCommand() *Command {
	return &Command{
		Name: "importdjango",
		Usage: "--from DATABASE_URL [--tenant-table customers_client] [--domain-table customers_domain] " +
			"[--schema S ...] [--rename OLD=NEW ...] [--dry-run]",
		Summary: "create one tenant per tenant of a django-tenant-schemas or django-tenants database (read-only there): " +
			"domains, plan, polls, users with their passwords, admin log; each all or nothing, a rerun skips those done",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			from := fs.String("from", "", "the Django database, e.g. postgres://user@host/db (required; only read, in read-only transactions)")
			tenantTable := fs.String("tenant-table", "customers_client", "the Django tenant model's table, in public unless given as SCHEMA.TABLE")
			domainTable := fs.String("domain-table", "customers_domain", "django-tenants' domain model's table; when absent, domains are read from the tenant table's domain_url (django-tenant-schemas)")
			var schemas listFlag
			fs.Var(&schemas, "schema", "import only this Django tenant schema (repeat for more; default: every tenant)")
			var renames listFlag
			fs.Var(&renames, "rename", "OLD=NEW: import the Django schema OLD as the polls tenant NEW (repeatable)")
			dryRun := fs.Bool("dry-run", false, "create nothing: print the tenants, their domains, row counts and every problem found")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 {
					return usageError("importdjango takes only flags, got %q", strings.Join(args, " "))
				}
				if *from == "" {
					return usageError("importdjango needs --from DATABASE_URL, the Django database, e.g. --from postgres://django@localhost/mysite")
				}
				opts := djangoimport.Options{Schemas: schemas, Renames: map[string]string{}, DryRun: *dryRun}
				for _, r := range renames {
					old, to, ok := strings.Cut(r, "=")
					if !ok || old == "" || to == "" {
						return usageError("--rename %q: give OLD=NEW, e.g. --rename client1=acme", r)
					}
					if err := tenant.ValidateSchema(to); err != nil {
						return usageError("--rename %s: %v", r, err)
					}
					opts.Renames[old] = to
				}
				src, err := djangoimport.Open(ctx, *from, *tenantTable, *domainTable)
				if err != nil {
					return err
				}
				defer src.Close(context.WithoutCancel(ctx))
				rt, err := inv.start(ctx, startOptions{})
				if err != nil {
					return err
				}
				defer rt.close()
				im := &djangoimport.Importer{Source: src, Provisioner: rt.provisioner(), Registry: rt.db.SQL, Out: inv.Stdout}
				if *dryRun {
					// Nothing is created, not even polls' registry: a database
					// without one has no tenants in the way.
					var registry *string
					if err := rt.db.SQL.QueryRowContext(ctx, `SELECT to_regclass('public.tenants')::text`).Scan(&registry); err != nil {
						return err
					}
					if registry == nil {
						im.Registry = nil
					}
				} else if _, err := dbmigrate.Shared(ctx, rt.db.URL); err != nil {
					return err
				}
				_, err = im.Run(ctx, opts)
				if errors.Is(err, djangoimport.ErrFailed) && *dryRun {
					return errors.New("some tenants have problems (above); nothing was created")
				}
				if errors.Is(err, djangoimport.ErrFailed) {
					return errors.New("some tenants failed (above) and left nothing; the others were imported: fix the cause and run importdjango again, it skips those already imported")
				}
				return err
			}
		},
	}
}

// listFlag is a flag given any number of times.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	if s == "" {
		return fmt.Errorf("empty value")
	}
	*l = append(*l, s)
	return nil
}
