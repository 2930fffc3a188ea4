package citus

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

// Node is a worker, as HOST:PORT.
type Node struct {
	Host string
	Port int
}

func (n Node) String() string { return n.Host + ":" + strconv.Itoa(n.Port) }

// Nodes returns the node each distributed schema's tables live on, by
// schema name. A schema with no table yet has none, and is absent.
func Nodes(ctx context.Context, db Querier) (map[string]Node, error) {
	return nodes(ctx, db, "", nil)
}

// NodesOf is Nodes for the given schemas only (a page of a list).
func NodesOf(ctx context.Context, db Querier, schemas []string) (map[string]Node, error) {
	if len(schemas) == 0 {
		return map[string]Node{}, nil
	}
	return nodes(ctx, db, `WHERE n.nspname = ANY($1::text[])`, []any{schemas})
}

// nodes reads the schemas' nodes, where says which schemas.
func nodes(ctx context.Context, db Querier, where string, args []any) (map[string]Node, error) {
	// One table per schema is enough: a distributed schema's tables are
	// colocated, all on one node.
	rows, err := db.QueryContext(ctx, `
		SELECT n.nspname, nd.nodename, nd.nodeport
		FROM pg_dist_schema ds
		JOIN pg_namespace n ON n.oid = ds.schemaid
		JOIN LATERAL (SELECT p.logicalrelid FROM pg_dist_partition p
		              WHERE p.colocationid = ds.colocationid LIMIT 1) r ON true
		JOIN pg_dist_shard s ON s.logicalrelid = r.logicalrelid
		JOIN pg_dist_placement pl ON pl.shardid = s.shardid
		JOIN pg_dist_node nd ON nd.groupid = pl.groupid AND nd.noderole = 'primary' `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("where the tenant schemas live: %w", err)
	}
	defer rows.Close()
	out := map[string]Node{}
	for rows.Next() {
		var schema string
		var n Node
		if err := rows.Scan(&schema, &n.Host, &n.Port); err != nil {
			return nil, err
		}
		out[schema] = n
	}
	return out, rows.Err()
}

// Workers lists the active primary workers.
func Workers(ctx context.Context, db *sql.DB) ([]Node, error) {
	rows, err := db.QueryContext(ctx, `SELECT nodename, nodeport FROM pg_dist_node
		WHERE groupid <> 0 AND noderole = 'primary' AND isactive ORDER BY nodename, nodeport`)
	if err != nil {
		return nil, fmt.Errorf("list the workers: %w", err)
	}
	defer rows.Close()
	var out []Node
	for rows.Next() {
		var n Node
		if err := rows.Scan(&n.Host, &n.Port); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// ParseNode reads HOST:PORT.
func ParseNode(s string) (Node, error) {
	i := len(s) - 1
	for i >= 0 && s[i] != ':' {
		i--
	}
	if i <= 0 {
		return Node{}, fmt.Errorf("node %q: want HOST:PORT, as `polls tenants` shows them", s)
	}
	port, err := strconv.Atoi(s[i+1:])
	if err != nil || port < 1 || port > 65535 {
		return Node{}, fmt.Errorf("node %q: the port is not a number from 1 to 65535", s)
	}
	return Node{Host: s[:i], Port: port}, nil
}
