package cli

import (
	"context"
	"flag"
	"fmt"

	"polls/app/tenant"
)

func addDomainCommand() *Command {
	return &Command{
		Name:    "adddomain",
		Usage:   "--schema NAME --domain DOMAIN [--primary]",
		Summary: "serve a tenant on one more domain (running servers pick it up at once)",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			schema := fs.String("schema", "", "the tenant's schema (required)")
			domain := fs.String("domain", "", "the hostname to add (required)")
			primary := fs.Bool("primary", false, "make it the tenant's primary domain")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 || *schema == "" || *domain == "" {
					return usageError("adddomain needs --schema NAME --domain DOMAIN")
				}
				if _, err := tenant.NormalizeDomain(*domain); err != nil {
					return usageError("%v", err)
				}
				if err := inv.refuseMainDomain(*domain); err != nil {
					return err
				}
				rt, err := inv.start(ctx, startOptions{})
				if err != nil {
					return err
				}
				defer rt.close()
				if err := tenant.AddDomain(ctx, rt.db.SQL, *schema, *domain, *primary); err != nil {
					return err
				}
				fmt.Fprintf(inv.Stdout, "%s now serves %s\n", *schema, *domain)
				return nil
			}
		},
	}
}

func removeDomainCommand() *Command {
	return &Command{
		Name:    "removedomain",
		Usage:   "--domain DOMAIN",
		Summary: "stop serving a domain (not a tenant's last one)",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			domain := fs.String("domain", "", "the hostname to remove (required)")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 || *domain == "" {
					return usageError("removedomain needs --domain DOMAIN")
				}
				rt, err := inv.start(ctx, startOptions{})
				if err != nil {
					return err
				}
				defer rt.close()
				if err := tenant.RemoveDomain(ctx, rt.db.SQL, *domain); err != nil {
					return err
				}
				fmt.Fprintf(inv.Stdout, "%s is no longer served\n", *domain)
				return nil
			}
		},
	}
}
