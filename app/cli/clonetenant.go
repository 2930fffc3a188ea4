package cli

import (
	"context"
	"flag"
	"strings"

	"polls/app/dbmigrate"
)

func cloneTenantCommand() *Command {
	return &Command{
		Name:    "clonetenant",
		Usage:   "--from SCHEMA --schema NAME --domain DOMAIN [--name TEXT] [--with-data] [--paid-until YYYY-MM-DD] [--on-trial=true|false]",
		Summary: "create a tenant with the structure of another (and, with --with-data, a copy of its rows); all or nothing",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			from := fs.String("from", "", "the schema of the tenant to copy (required)")
			withData := fs.Bool("with-data", false, "copy its rows too (users, sessions and polls), sequences advanced past them")
			newTenant := newTenantFlags(fs)
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 {
					return usageError("clonetenant takes only flags, got %q", strings.Join(args, " "))
				}
				if *from == "" {
					return usageError("clonetenant needs --from, the schema of the tenant to copy")
				}
				nt, err := newTenant("clonetenant")
				if err != nil {
					return err
				}
				if err := inv.refuseMainDomain(nt.Domain); err != nil {
					return err
				}
				rt, err := inv.start(ctx, startOptions{})
				if err != nil {
					return err
				}
				defer rt.close()
				if _, err := dbmigrate.Shared(ctx, rt.db.URL); err != nil {
					return err
				}
				if err := rt.provisioner().Clone(ctx, *from, nt, *withData); err != nil {
					return err
				}
				verb := "Cloned " + *from + " (structure only) into"
				if *withData {
					verb = "Cloned " + *from + " with its data into"
				}
				printCreated(inv, rt, verb, nt)
				return nil
			}
		},
	}
}
