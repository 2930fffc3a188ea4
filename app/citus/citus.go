// Package citus knows what polls needs of a Citus cluster with schema-based
// sharding: whether the database is one (Detect), on which worker each
// tenant schema lives (Nodes), moving one (Move) and spreading them
// (Rebalance). It knows nothing of tenants beyond schema names: app/tenant
// and app/cli decide what to do with the answers.
package citus

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Info is what Detect found.
type Info struct {
	Present        bool   // the citus extension is installed in this database
	Version        string // its version, as pg_extension says
	Coordinator    bool   // the database is the cluster's coordinator
	Workers        int    // active primary worker nodes
	SchemaSharding bool   // citus.enable_schema_based_sharding is on
}

// ErrShardingOff refuses to create a tenant that would not be distributed.
var ErrShardingOff = errors.New("citus.enable_schema_based_sharding is off on this Citus coordinator, so a new tenant would stay on the coordinator " +
	"instead of a worker: turn it on (ALTER SYSTEM SET citus.enable_schema_based_sharding = on; SELECT pg_reload_conf();) and try again")

// ErrNotCoordinator refuses to create a tenant on a worker node.
var ErrNotCoordinator = errors.New("this database has the citus extension but is not the cluster's coordinator: point polls at the coordinator")

// Querier is what the reads run on: the pool (*sql.DB), or a request's
// transaction (the platform admin's, through its gorm ConnPool).
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Detect reads whether db is a Citus database and how it is set up. A
// database without the extension gives the zero Info, no error.
func Detect(ctx context.Context, db Querier) (Info, error) {
	var info Info
	err := db.QueryRowContext(ctx, `SELECT extversion FROM pg_extension WHERE extname = 'citus'`).Scan(&info.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return Info{}, nil
	}
	if err != nil {
		return info, fmt.Errorf("detect citus: %w", err)
	}
	info.Present = true
	err = db.QueryRowContext(ctx, `
		SELECT citus_is_coordinator(),
		       (SELECT count(*) FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' AND isactive),
		       current_setting('citus.enable_schema_based_sharding') = 'on'`).
		Scan(&info.Coordinator, &info.Workers, &info.SchemaSharding)
	if err != nil {
		return info, fmt.Errorf("detect citus: %w", err)
	}
	return info, nil
}

// String is the line polls logs at start.
func (i Info) String() string {
	if !i.Present {
		return "citus: not installed, a single PostgreSQL"
	}
	role := "coordinator"
	if !i.Coordinator {
		role = "not the coordinator"
	}
	sharding := "off"
	if i.SchemaSharding {
		sharding = "on"
	}
	return fmt.Sprintf("citus %s: %s, %d worker(s), schema-based sharding %s", i.Version, role, i.Workers, sharding)
}

// CreateRefusal is why no tenant may be created here, or nil: on a Citus
// database that is not the coordinator, or whose schema-based sharding is
// off. Without Citus it is always nil.
func (i Info) CreateRefusal() error {
	switch {
	case !i.Present:
		return nil
	case !i.Coordinator:
		return ErrNotCoordinator
	case !i.SchemaSharding:
		return ErrShardingOff
	}
	return nil
}
