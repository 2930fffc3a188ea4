package database

import (
	"context"
	"fmt"
)

// Reserved is how many connections polls serve opens beside its pool: the
// LISTEN for route changes and the readiness probe.
const Reserved = 2

// CheckCapacity compares the pool's size with the connections PostgreSQL can
// still give polls (max_connections, less the slots kept for superusers,
// less those other clients hold now). It returns a sentence for the log when
// the pool does not fit, "" when it does: past the server's limit, requests
// would meet "too many clients" (answered 503) instead of waiting their turn.
func CheckCapacity(ctx context.Context, db *DB, maxConns int) (string, error) {
	var limit, reserved, others int
	err := db.SQL.QueryRowContext(ctx, `
		SELECT current_setting('max_connections')::int,
		       current_setting('superuser_reserved_connections')::int,
		       (SELECT count(*) FROM pg_stat_activity
		        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid())::int`).
		Scan(&limit, &reserved, &others)
	if err != nil {
		return "", fmt.Errorf("read the server's connection limit: %w", err)
	}
	free := limit - reserved - others // this connection is the pool's first: counted in free
	if maxConns+Reserved <= free {
		return "", nil
	}
	return fmt.Sprintf("database.max_conns is %d (+%d for route changes and /readyz) but PostgreSQL can give polls only %d "+
		"(max_connections %d, %d reserved for superusers, %d held by other clients): lower database.max_conns or raise max_connections; "+
		"until then requests beyond it get a 503", maxConns, Reserved, free, limit, reserved, others), nil
}
