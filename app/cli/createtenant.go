package cli

import (
	"context"
	"flag"
	"fmt"
	"net"
	"strings"
	"time"

	"polls/app/dbmigrate"
	"polls/app/tenant"
)

func createTenantCommand() *Command {
	return &Command{
		Name:    "createtenant",
		Usage:   "--domain DOMAIN --schema NAME [--name TEXT] [--paid-until YYYY-MM-DD] [--on-trial=true|false] [--language en|fr] [--languages own|any]",
		Summary: "create a tenant: its schema, every tenant migration, and its domain; served at once",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			newTenant := newTenantFlags(fs)
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 {
					return usageError("createtenant takes only flags, got %q", strings.Join(args, " "))
				}
				nt, err := newTenant("createtenant")
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
				// The registry must exist; bringing it up to date is always safe.
				if _, err := dbmigrate.Shared(ctx, rt.db.URL); err != nil {
					return err
				}
				if err := rt.provisioner().Create(ctx, nt); err != nil {
					return err
				}
				printCreated(inv, rt, "Created", nt)
				return nil
			}
		},
	}
}

// newTenantFlags declares the flags that describe a new tenant, for
// createtenant and clonetenant, and returns what checks and reads them.
func newTenantFlags(fs *flag.FlagSet) func(command string) (tenant.NewTenant, error) {
	domain := fs.String("domain", "", "hostname the tenant is served on, e.g. client1.localhost (required)")
	schema := fs.String("schema", "", "PostgreSQL schema for the tenant: lowercase letters, digits, _ (required)")
	name := fs.String("name", "", "the tenant's display name (default: the schema name)")
	paidUntil := fs.String("paid-until", "", "date the subscription is paid until, YYYY-MM-DD")
	onTrial := fs.Bool("on-trial", false, "whether the tenant is on a trial")
	lang := fs.String("language", "", "the language its pages and admin speak, en or fr (default: tenancy.default_language)")
	langs := fs.String("languages", "own", "own: always its language; any: a visitor's Accept-Language may pick another")
	return func(command string) (tenant.NewTenant, error) {
		if *domain == "" || *schema == "" {
			return tenant.NewTenant{}, usageError("%s needs --domain and --schema, e.g. polls %s --domain client1.localhost --schema client1", command, command)
		}
		nt := tenant.NewTenant{Schema: *schema, Domain: *domain, Name: *name, OnTrial: *onTrial}
		if nt.Name == "" {
			nt.Name = nt.Schema
		}
		var err error
		if nt.Language, err = parseLanguageFlags(*lang, *langs); err != nil {
			return nt, err
		}
		if *paidUntil != "" {
			d, err := time.Parse("2006-01-02", *paidUntil)
			if err != nil {
				return nt, usageError("--paid-until %q is not a date in the form YYYY-MM-DD", *paidUntil)
			}
			nt.PaidUntil = &d
		}
		if err := tenant.ValidateSchema(nt.Schema); err != nil {
			return nt, usageError("%v", err)
		}
		if _, err := tenant.NormalizeDomain(nt.Domain); err != nil {
			return nt, usageError("%v", err)
		}
		return nt, nil
	}
}

// printCreated says where a new tenant is served.
func printCreated(inv *Invocation, rt *runtime, verb string, nt tenant.NewTenant) {
	d, _ := tenant.NormalizeDomain(nt.Domain)
	_, port, _ := net.SplitHostPort(rt.cfg.Addr)
	fmt.Fprintf(inv.Stdout, "%s tenant %q (schema %s), served at http://%s:%s/\n", verb, nt.Name, nt.Schema, d, port)
}
