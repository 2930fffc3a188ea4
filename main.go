// Command polls serves the Django tutorial's polls app to many tenants from one
// PostgreSQL database, one schema per tenant. Run `polls help` for its commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"polls/app/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := cli.Run(ctx, os.Args[1:], cli.OSEnv())
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "polls:", err)
		var exit *cli.ExitError
		if errors.As(err, &exit) {
			os.Exit(exit.Code)
		}
		os.Exit(1)
	}
}
