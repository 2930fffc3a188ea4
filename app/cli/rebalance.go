package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"polls/app/citus"
)

func rebalanceCommand() *Command {
	return &Command{
		Name:    "rebalance",
		Usage:   "[--no-wait]",
		Summary: "on a Citus cluster: spread the tenants evenly over the workers (citus_rebalance_start), showing progress until done",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			noWait := fs.Bool("no-wait", false, "start the rebalance and return; it goes on in the background")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 {
					return usageError("rebalance takes no arguments, got %q", strings.Join(args, " "))
				}
				rt, err := inv.start(ctx, startOptions{})
				if err != nil {
					return err
				}
				defer rt.close()
				if !rt.citus.Present {
					return errNoCitus
				}
				job, started, err := citus.StartRebalance(ctx, rt.db.SQL)
				if err != nil {
					return err
				}
				if !started {
					fmt.Fprintln(inv.Stdout, "rebalance: the tenants are already spread evenly, nothing to move")
					return nil
				}
				fmt.Fprintf(inv.Stdout, "rebalance job %d started\n", job)
				if *noWait {
					fmt.Fprintln(inv.Stdout, "it goes on in the background: `SELECT * FROM citus_rebalance_status()` shows it")
					return nil
				}
				last, err := citus.WaitRebalance(ctx, rt.db.SQL, time.Second, func(s citus.Status) { fmt.Fprintln(inv.Stdout, s) })
				if err != nil {
					return fmt.Errorf("%w (the rebalance goes on in the background: `SELECT * FROM citus_rebalance_status()`)", err)
				}
				if last.State != "finished" {
					return fmt.Errorf("rebalance job %d ended %s: `SELECT * FROM citus_rebalance_status()` says why", last.Job, last.State)
				}
				return nil
			}
		},
	}
}
