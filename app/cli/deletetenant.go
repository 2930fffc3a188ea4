package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"polls/app/tenant"
)

func deleteTenantCommand() *Command {
	return &Command{
		Name:    "deletetenant",
		Usage:   "--schema NAME [--archive FILE] [--no-input]",
		Summary: "delete a tenant: its domains stop answering, then its schema and all its data are dropped",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			schema := fs.String("schema", "", "the tenant's schema (required)")
			archive := fs.String("archive", "", "first write the tenant to this archive file (as exporttenant), and delete only if that worked")
			noInput := fs.Bool("no-input", false, "do not ask for confirmation (for scripts)")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 || *schema == "" {
					return usageError("deletetenant needs --schema NAME and nothing else")
				}
				if *archive == "-" {
					return usageError("deletetenant --archive needs a file path")
				}
				rt, err := inv.start(ctx, startOptions{})
				if err != nil {
					return err
				}
				defer rt.close()
				var last func(context.Context) error
				if *archive != "" {
					file, err := createArchive(ctx, rt, *schema, *archive)
					if err != nil {
						return err
					}
					defer file.abort()
					last = func(ctx context.Context) error { return file.write(ctx, rt, inv.Stdout) }
				}
				if !*noInput && !confirmDelete(inv.Stdin, inv.Stdout, *schema) {
					fmt.Fprintln(inv.Stdout, "Canceled")
					return nil
				}
				fmt.Fprintf(inv.Stdout, "Deleting '%s'\n", *schema)
				if err := tenant.DeleteAfter(ctx, rt.db.SQL, *schema, last); err != nil {
					return err
				}
				fmt.Fprintf(inv.Stdout, "Deleted '%s'\n", *schema)
				return nil
			}
		},
	}
}

// confirmDelete asks as django-tenants' delete_tenant does.
func confirmDelete(in io.Reader, out io.Writer, schema string) bool {
	fmt.Fprintf(out, "Warning you are about to delete '%s' there is no undo.\n", schema)
	return confirm(in, out, fmt.Sprintf("Are you sure you want to delete '%s' [yes/no]? ", schema))
}

// pendingArchive is a tenant's archive to be written before it is deleted.
type pendingArchive struct {
	*pendingFile
	rec tenant.Record
}

// createArchive finds the tenant and opens the archive file before anything
// is asked or done: an unknown tenant or an unwritable path is refused at once.
func createArchive(ctx context.Context, rt *runtime, schema, path string) (*pendingArchive, error) {
	rec, err := tenant.Find(ctx, rt.db.SQL, schema)
	if err != nil {
		return nil, registryMissing(err)
	}
	file, err := createPending(path, false)
	if err != nil {
		return nil, err
	}
	return &pendingArchive{pendingFile: file, rec: rec}, nil
}

// write exports the tenant into the file and moves it to its path.
func (a *pendingArchive) write(ctx context.Context, rt *runtime, out io.Writer) error {
	m, err := tenant.Export(ctx, rt.db.SQL, a.rec, a)
	if err != nil {
		return err
	}
	if err := a.commit(); err != nil {
		return err
	}
	printExport(out, m, a.path)
	return nil
}
