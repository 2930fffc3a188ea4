package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"polls/app/citus"
	"polls/app/tenant"
)

// errNoCitus is a Citus command run on a single PostgreSQL.
var errNoCitus = errors.New("this database has no citus extension: tenants live on this one server (README, \"Scaling out\", says how to spread them over a Citus cluster)")

func moveTenantCommand() *Command {
	return &Command{
		Name:    "movetenant",
		Usage:   "--schema NAME --node HOST:PORT",
		Summary: "on a Citus cluster: move a tenant's tables to another worker while it serves (citus_schema_move)",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			schema := fs.String("schema", "", "the tenant's schema (required)")
			node := fs.String("node", "", "the worker to move it to, HOST:PORT, as the node column of polls tenants shows (required)")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 || *schema == "" || *node == "" {
					return usageError("movetenant needs --schema NAME --node HOST:PORT and nothing else")
				}
				to, err := citus.ParseNode(*node)
				if err != nil {
					return usageError("--node: %v", err)
				}
				rt, err := inv.start(ctx, startOptions{})
				if err != nil {
					return err
				}
				defer rt.close()
				if !rt.citus.Present {
					return errNoCitus
				}
				if _, err := tenant.Find(ctx, rt.db.SQL, *schema); err != nil {
					return err
				}
				from, moved, err := citus.Move(ctx, rt.db.SQL, *schema, to)
				if err != nil {
					return err
				}
				if !moved {
					fmt.Fprintf(inv.Stdout, "%s: already on %s, nothing to do\n", *schema, to)
					return nil
				}
				fmt.Fprintf(inv.Stdout, "%s: moved from %s to %s\n", *schema, from, to)
				return nil
			}
		},
	}
}
