package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
)

// installPostgres installs Debian's PostgreSQL server package when polls runs
// as root on a machine with apt-get, so the first README command works on a
// fresh machine. Elsewhere it does nothing: the caller's error says what to
// install. It reports whether the install succeeded.
func installPostgres(ctx context.Context, stdout, stderr io.Writer) bool {
	if os.Geteuid() != 0 {
		return false
	}
	apt, err := exec.LookPath("apt-get")
	if err != nil {
		return false
	}
	fmt.Fprintln(stdout, "PostgreSQL server binaries are missing: installing Debian's postgresql package (apt-get)...")
	for _, args := range [][]string{{"update", "-qq"}, {"install", "-y", "-qq", "postgresql"}} {
		cmd := exec.CommandContext(ctx, apt, args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdout, cmd.Stderr = stderr, stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(stderr, "apt-get %s failed: %v\n", args[0], err)
			return false
		}
	}
	return true
}
