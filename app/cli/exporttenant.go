package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"polls/app/tenant"
)

func exportTenantCommand() *Command {
	return &Command{
		Name:  "exporttenant",
		Usage: "--schema NAME --out FILE [--force] [--json]",
		Summary: "write one tenant to a portable archive (tar.gz: manifest.json and a CSV per table), " +
			"as one consistent moment; importtenant reads it",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			schema := fs.String("schema", "", "the tenant's schema (required)")
			out := fs.String("out", "", "the archive's path, or - for standard output (required)")
			force := fs.Bool("force", false, "replace the file if it exists")
			asJSON := fs.Bool("json", false, "print the archive's manifest as JSON instead of a summary")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 || *schema == "" || *out == "" {
					return usageError("exporttenant needs --schema NAME --out FILE, e.g. polls exporttenant --schema client1 --out client1.tar.gz")
				}
				if *out == "-" && *asJSON {
					return usageError("exporttenant --out - writes the archive to standard output: --json has nowhere to go")
				}
				rt, err := inv.start(ctx, startOptions{})
				if err != nil {
					return err
				}
				defer rt.close()
				rec, err := tenant.Find(ctx, rt.db.SQL, *schema)
				if err != nil {
					return registryMissing(err)
				}
				if *out == "-" {
					m, err := tenant.Export(ctx, rt.db.SQL, rec, inv.Stdout)
					if err != nil {
						return err
					}
					printExport(inv.Stderr, m, "standard output")
					return nil
				}
				file, err := createPending(*out, *force)
				if err != nil {
					return err
				}
				defer file.abort()
				m, err := tenant.Export(ctx, rt.db.SQL, rec, file)
				if err != nil {
					return err
				}
				if err := file.commit(); err != nil {
					return err
				}
				if *asJSON {
					enc := json.NewEncoder(inv.Stdout)
					enc.SetIndent("", "  ")
					return enc.Encode(m)
				}
				printExport(inv.Stdout, m, *out)
				return nil
			}
		},
	}
}

// printExport says what an archive holds, a table a line.
func printExport(w io.Writer, m tenant.Manifest, where string) {
	fmt.Fprintf(w, "Exported '%s' (tenant version %d) to %s\n", m.Tenant.Schema, m.SchemaVersion, where)
	for _, t := range m.Tables {
		fmt.Fprintf(w, "  %-24s %d rows\n", t.Name, t.Rows)
	}
}
