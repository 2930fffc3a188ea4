package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"polls/app/dbmigrate"
	"polls/app/tenant"
)

func importTenantCommand() *Command {
	return &Command{
		Name:  "importtenant",
		Usage: "--file FILE --schema NAME --domain DOMAIN [--name TEXT] [--paid-until YYYY-MM-DD|none] [--on-trial=BOOL]",
		Summary: "create a tenant from an exporttenant archive: built at the archive's version, its rows loaded, " +
			"then migrated; all or nothing",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			file := fs.String("file", "", "the archive, or - for standard input (required)")
			schema := fs.String("schema", "", "the new tenant's schema, the archived one or another (required)")
			domain := fs.String("domain", "", "hostname the new tenant is served on (required)")
			name := fs.String("name", "", "display name (default: the archived one)")
			paidUntil := fs.String("paid-until", "", "YYYY-MM-DD, or none (default: the archived one)")
			onTrial := fs.Bool("on-trial", false, "whether it is on trial (default: the archived standing)")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 || *file == "" || *schema == "" {
					return usageError("importtenant needs --file FILE --schema NAME --domain DOMAIN")
				}
				if err := tenant.ValidateSchema(*schema); err != nil {
					return usageError("--schema: %v", err)
				}
				path, cleanup, err := archivePath(*file, inv.Stdin)
				if err != nil {
					return err
				}
				defer cleanup()
				a, err := tenant.OpenArchive(path)
				if err != nil {
					return err
				}
				if *domain == "" {
					return usageError("importtenant needs --domain: the archived tenant answered on %s, which may be served by another tenant now",
						archivedDomains(a.Manifest))
				}
				if _, err := tenant.NormalizeDomain(*domain); err != nil {
					return usageError("--domain: %v", err)
				}
				if err := inv.refuseMainDomain(*domain); err != nil {
					return err
				}
				nt, err := a.NewTenant(*schema, *domain)
				if err != nil {
					return err
				}
				given := map[string]bool{}
				fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
				if given["name"] {
					nt.Name = *name
				}
				if given["on-trial"] {
					nt.OnTrial = *onTrial
				}
				if given["paid-until"] {
					var ch tenant.PlanChange
					if err := parsePaidUntil(*paidUntil, &ch); err != nil {
						return err
					}
					nt.PaidUntil = ch.PaidUntil
				}
				rt, err := inv.start(ctx, startOptions{})
				if err != nil {
					return err
				}
				defer rt.close()
				if _, err := dbmigrate.Shared(ctx, rt.db.URL); err != nil {
					return err
				}
				if err := rt.provisioner().Import(ctx, a, nt); err != nil {
					return err
				}
				printImport(inv.Stdout, a.Manifest, nt, rt.cfg.Addr)
				return nil
			}
		},
	}
}

// archivePath is the file to import: path itself, or standard input copied
// to a temporary file (the archive is read twice: checked whole, then loaded).
func archivePath(path string, stdin io.Reader) (string, func(), error) {
	if path != "-" {
		return path, func() {}, nil
	}
	f, err := os.CreateTemp("", "polls-import-*.tar.gz")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { f.Close(); os.Remove(f.Name()) }
	if _, err := io.Copy(f, stdin); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("read the archive from standard input: %w", err)
	}
	return f.Name(), cleanup, nil
}

func archivedDomains(m tenant.Manifest) string {
	if len(m.Tenant.Domains) == 0 {
		return "no domain"
	}
	names := make([]string, len(m.Tenant.Domains))
	for i, d := range m.Tenant.Domains {
		names[i] = d.Name
	}
	return strings.Join(names, ", ")
}

// printImport says what was made, and the archived domains not carried over.
func printImport(w io.Writer, m tenant.Manifest, nt tenant.NewTenant, addr string) {
	var rows int64
	for _, t := range m.Tables {
		rows += t.Rows
	}
	d, _ := tenant.NormalizeDomain(nt.Domain)
	_, port, _ := net.SplitHostPort(addr)
	fmt.Fprintf(w, "Imported '%s' as '%s' (%d rows in %d tables, archived at tenant version %d), served at http://%s:%s/\n",
		m.Tenant.Schema, nt.Schema, rows, len(m.Tables), m.SchemaVersion, d, port)
	var others []string
	for _, ad := range m.Tenant.Domains {
		if ad.Name != d {
			others = append(others, ad.Name)
		}
	}
	if len(others) > 0 {
		fmt.Fprintf(w, "The archived tenant also answered on %s: `polls adddomain --schema %s --domain NAME` once they are free.\n",
			strings.Join(others, ", "), nt.Schema)
	}
}
