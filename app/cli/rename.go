package cli

import (
	"context"
	"flag"
	"fmt"

	"polls/app/tenant"
)

func renameTenantCommand() *Command {
	return &Command{
		Name:    "renametenant",
		Usage:   "--schema OLD --to NEW",
		Summary: "rename a tenant's schema (and role) in one transaction; domains, users and data are untouched",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			schema := fs.String("schema", "", "the tenant's schema now (required)")
			to := fs.String("to", "", "its new schema name (required)")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 || *schema == "" || *to == "" {
					return usageError("renametenant needs --schema OLD --to NEW")
				}
				if err := tenant.ValidateSchema(*to); err != nil {
					return usageError("--to: %v", err)
				}
				rt, err := inv.start(ctx, startOptions{})
				if err != nil {
					return err
				}
				defer rt.close()
				if err := tenant.Rename(ctx, rt.db.SQL, rt.roles, *schema, *to); err != nil {
					return err
				}
				fmt.Fprintf(inv.Stdout, "Renamed '%s' to '%s'\n", *schema, *to)
				return nil
			}
		},
	}
}
