package cli_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"polls/app/apptest"
	"polls/app/cli"
)

// childEnv makes the test binary run one polls command (its arguments after
// "--"), as the polls binary would: for tests that kill a command midway.
const childEnv = "POLLS_CLI_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(runChild())
	}
	apptest.Main(m)
}

func runChild() int {
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	if err := cli.Run(context.Background(), args, cli.OSEnv()); err != nil {
		fmt.Fprintln(os.Stderr, "polls:", err)
		return 1
	}
	return 0
}
