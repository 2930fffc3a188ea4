// Package cli is the polls command line: one Command per subcommand, each
// parsing its own flags, all wired to the rest of the app here and nowhere else.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Env is the outside world a command sees; tests substitute every part.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string // one line for `polls help`
	Usage   string // arguments after the name, for `polls NAME --help`
	// Setup declares the command's flags on fs and returns the function that runs
	// it once they are parsed.
	Setup func(fs *flag.FlagSet) func(ctx context.Context, inv *Invocation, args []string) error
}

// ExitError carries a specific exit status: 2 for usage and configuration errors.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

func usageError(format string, a ...any) error {
	return &ExitError{Code: 2, Err: fmt.Errorf(format, a...)}
}

// commands lists every subcommand, in the order `polls help` shows them.
func commands() []*Command {
	return []*Command{demoCommand(), serveCommand(), migrateCommand(), createTenantCommand(), cloneTenantCommand(), createSuperuserCommand(), tenantsCommand(), addDomainCommand(), removeDomainCommand(), suspendCommand(), resumeCommand(), setTenantCommand(), renameTenantCommand(), deleteTenantCommand(), exportTenantCommand(), importTenantCommand(), importDjangoCommand(),
		moveTenantCommand(), rebalanceCommand()}
}

// Run runs the subcommand named by args[0].
func Run(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return Run(ctx, []string{args[1], "--help"}, env)
		}
		printHelp(env.Stdout)
		return nil
	}
	for _, c := range commands() {
		if c.Name == args[0] {
			return runCommand(ctx, c, args[1:], env)
		}
	}
	return usageError("unknown command %q: run `polls help` for the list", args[0])
}

func runCommand(ctx context.Context, c *Command, args []string, env Env) error {
	fs := flag.NewFlagSet("polls "+c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the flag package would print the error and the usage itself; we do, once
	inv := &Invocation{Env: env}
	fs.StringVar(&inv.ConfigPath, "config", "", "settings file (default: ./config.yaml if present)")
	run := c.Setup(fs)
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "usage: polls %s %s\n\n%s\n\nflags:\n", c.Name, c.Usage, c.Summary)
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(env.Stdout)
			return nil
		}
		usage(env.Stderr) // after it, main prints the error itself
		return &ExitError{Code: 2, Err: err}
	}
	return run(ctx, inv, fs.Args())
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "polls serves the Django tutorial's polls app to many tenants, each in its own PostgreSQL schema.")
	fmt.Fprintln(w, "\nusage: polls COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-16s %s\n", c.Name, c.Summary)
	}
	fmt.Fprintln(w, "\nRun `polls COMMAND --help` for a command's flags.")
	fmt.Fprintln(w, "Every command takes --config PATH; POLLS_DATABASE_URL and POLLS_ADDR override the file.")
	fmt.Fprintln(w, strings.TrimSpace(`
With no database URL configured, polls runs a private PostgreSQL from the
locally installed server binaries, keeping its data in .polls/pgdata.`))
}
