package citus

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrNotDistributed is a schema Citus does not know as distributed.
var ErrNotDistributed = errors.New("not a distributed schema")

// Move moves schema's tables to the worker to with citus_schema_move,
// which copies them by logical replication while they keep serving and
// blocks writes only for the final switch. A schema already there is left
// alone (moved false).
func Move(ctx context.Context, db *sql.DB, schema string, to Node) (from Node, moved bool, err error) {
	workers, err := Workers(ctx, db)
	if err != nil {
		return from, false, err
	}
	if !slices.Contains(workers, to) {
		names := make([]string, len(workers))
		for i, w := range workers {
			names[i] = w.String()
		}
		return from, false, fmt.Errorf("node %s is not a worker of this cluster; its workers are %s", to, strings.Join(names, ", "))
	}
	nodes, err := Nodes(ctx, db)
	if err != nil {
		return from, false, err
	}
	from, ok := nodes[schema]
	if !ok {
		return from, false, fmt.Errorf("move %s: %w (or it has no table yet)", schema, ErrNotDistributed)
	}
	if from == to {
		return from, false, nil
	}
	if _, err := db.ExecContext(ctx, `SELECT citus_schema_move($1::regnamespace, $2::text, $3::int)`, quoteIdent(schema), to.Host, to.Port); err != nil {
		return from, false, fmt.Errorf("move %s from %s to %s: %w", schema, from, to, err)
	}
	return from, true, nil
}

// quoteIdent quotes a schema name for a regnamespace cast.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
