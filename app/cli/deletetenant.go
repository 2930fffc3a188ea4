package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"polls/app/tenant"
)

func deleteTenantCommand() *Command {
	return &Command{
		Name:    "deletetenant",
		Usage:   "--schema NAME [--no-input]",
		Summary: "delete a tenant: its domains stop answering, then its schema and all its data are dropped",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			schema := fs.String("schema", "", "the tenant's schema (required)")
			noInput := fs.Bool("no-input", false, "do not ask for confirmation (for scripts)")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 || *schema == "" {
					return usageError("deletetenant needs --schema NAME and nothing else")
				}
				rt, err := inv.start(ctx, startOptions{})
				if err != nil {
					return err
				}
				defer rt.close()
				if !*noInput && !confirmDelete(inv.Stdin, inv.Stdout, *schema) {
					fmt.Fprintln(inv.Stdout, "Canceled")
					return nil
				}
				fmt.Fprintf(inv.Stdout, "Deleting '%s'\n", *schema)
				if err := tenant.Delete(ctx, rt.db.SQL, *schema); err != nil {
					return err
				}
				fmt.Fprintf(inv.Stdout, "Deleted '%s'\n", *schema)
				return nil
			}
		},
	}
}

// confirmDelete asks as django-tenants' delete_tenant does, until the answer
// is yes or no; end of input counts as no.
func confirmDelete(in io.Reader, out io.Writer, schema string) bool {
	fmt.Fprintf(out, "Warning you are about to delete '%s' there is no undo.\n", schema)
	fmt.Fprintf(out, "Are you sure you want to delete '%s' [yes/no]? ", schema)
	r := bufio.NewReader(in)
	for {
		line, err := r.ReadString('\n')
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "yes":
			return true
		case "no":
			return false
		}
		if err != nil {
			fmt.Fprintln(out)
			return false
		}
		fmt.Fprint(out, "Please answer yes or no: ")
	}
}
