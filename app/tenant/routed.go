package tenant

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ListenerName is the application_name of every server's LISTEN connection:
// how a command finds the servers that are running.
const ListenerName = "polls routes"

// RoutedTimeout is how long AwaitRouted waits by default for every running
// server to reload its routes; a server reloads within a second of a change.
const RoutedTimeout = 10 * time.Second

// AwaitRouted waits until every server running on this database (each
// holding a LISTEN connection) has reloaded its routes at registry version
// at least version, or timeout passes. A server that stops meanwhile no
// longer counts.
func AwaitRouted(ctx context.Context, db *sql.DB, version int64, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(20 * time.Millisecond) // a CLI's wait: polling costs nothing that matters
	defer tick.Stop()
	for {
		behind, err := serversBehind(ctx, db, version)
		if err != nil {
			return fmt.Errorf("check running servers' routes: %w", err)
		}
		if behind == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d running server(s) did not reload their routes within %s", behind, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}
