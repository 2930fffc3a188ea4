package database

import (
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
)

// DefaultQueryExecMode is how polls sends queries: each one as an unnamed
// statement, parsed and planned afresh, in one round trip (Parse, Bind,
// Describe, Execute, Sync travel together).
//
// pgx's own default caches a named prepared statement per SQL text and
// connection. In polls the same SQL text runs under every tenant's search_path,
// and tenants are migrated one at a time; PostgreSQL then re-plans the cached
// statement against the other tenant's table but refuses to let its result
// columns change, and the request fails with "cached plan must not change
// result type" (SQLSTATE 0A000) as soon as one tenant has a column added,
// widened or retyped that another has not. Listing columns (GORM's QueryFields)
// only covers additions; pgx's cache_describe mode breaks on additions too.
// Unnamed statements have neither problem, and they are also what PgBouncer in
// transaction mode can carry, since no statement outlives its transaction.
// The re-planning costs little: PostgreSQL would re-plan a cached statement
// anyway each time a connection switches tenants. TestSameSQLAcrossSchemas-
// AndMidMigration in app/tenant proves it, and `make bench` measures it.
const DefaultQueryExecMode = pgx.QueryExecModeExec

// execModeKey is the connection-string setting that overrides the mode, e.g.
// postgres://...?default_query_exec_mode=cache_statement for a database that
// holds one tenant and never sits behind PgBouncer.
const execModeKey = "default_query_exec_mode"

// namesExecMode reports whether the connection string sets execModeKey, in
// either of the forms pgx accepts: a URL or key=value pairs.
func namesExecMode(conn string) bool {
	if strings.HasPrefix(conn, "postgres://") || strings.HasPrefix(conn, "postgresql://") {
		u, err := url.Parse(conn)
		return err == nil && u.Query().Has(execModeKey)
	}
	return strings.Contains(conn, execModeKey) // key=value form; spaces may surround the =
}
