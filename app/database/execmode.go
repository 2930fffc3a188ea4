package database

import (
	"errors"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DefaultQueryExecMode is how polls sends queries to PostgreSQL directly:
// pgx caches a named prepared statement per SQL text and connection, which
// saves PostgreSQL parsing each query and lets results travel in binary
// (`make bench BENCHFLAGS="-exec-mode exec -pages index"` compares the two).
//
// In polls the same SQL text runs under every tenant's search_path, and tenants
// are migrated one at a time; PostgreSQL re-plans a cached statement for the new
// table but refuses to let its result columns change, so while one tenant has a
// column added, widened or retyped that another has not, a query fails once
// with "cached plan must not change result type" (SQLSTATE 0A000). pgx then
// drops that statement from its cache, and the tenant middleware runs the
// request again from the start (its transaction was rolled back and its
// response held back, so nothing was done twice): see IsStalePlan and
// app/tenant/plancache_test.go.
const DefaultQueryExecMode = pgx.QueryExecModeCacheStatement

// PoolerQueryExecMode is the mode behind a transaction pooler such as PgBouncer
// in transaction mode (Debian's 1.18 keeps no prepared statement across
// transactions): each query an unnamed statement, parsed and planned afresh,
// in a single round trip. pgx remembers each SQL text's parameter and result
// types per connection (asking PostgreSQL once), so values travel in binary:
// through PgBouncer the vote went from 0.73-0.75 of the baseline with
// QueryExecModeExec's text to 0.87-0.88 (`make bench BENCHFLAGS="-pgbouncer
// -exec-mode exec"` against the default; README, "Query mode and PgBouncer").
// The remembered result columns can go stale the way a cached plan does:
// while one tenant has a column another has not, a `SELECT *` fails once
// with "bind message has N result formats but query has M columns" (SQLSTATE
// 08P01); pgx forgets that description and IsStalePlan lets the request run
// again.
const PoolerQueryExecMode = pgx.QueryExecModeCacheDescribe

// ForTransactionPooler returns url set to PoolerQueryExecMode, unless it names
// a mode itself.
func ForTransactionPooler(conn string) string {
	if namesExecMode(conn) {
		return conn
	}
	if strings.HasPrefix(conn, "postgres://") || strings.HasPrefix(conn, "postgresql://") {
		sep := "?"
		if strings.Contains(conn, "?") {
			sep = "&"
		}
		return conn + sep + execModeKey + "=" + poolerModeName
	}
	return conn + " " + execModeKey + "=" + poolerModeName
}

// IsStalePlan reports whether err is PostgreSQL refusing a statement whose
// result columns changed since pgx cached it: its plan (cached statements,
// SQLSTATE 0A000) or its description (PoolerQueryExecMode, 08P01). pgx has
// dropped the stale entry; the work may simply be run again.
func IsStalePlan(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	switch pgErr.Code {
	case "0A000":
		return strings.Contains(pgErr.Message, "cached plan must not change result type")
	case "08P01":
		return strings.HasPrefix(pgErr.Message, "bind message has") && strings.Contains(pgErr.Message, "result formats but query has")
	}
	return false
}

// poolerModeName is PoolerQueryExecMode as a connection string spells it.
const poolerModeName = "cache_describe"

// execModeKey is the connection-string setting that overrides the mode, e.g.
// postgres://...?default_query_exec_mode=exec.
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
