// Package database opens polls' connection pool to PostgreSQL: one pgx pool
// behind database/sql, shared by GORM, the tenant scoper and the migrator.
package database

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DB is the process-wide database handle.
type DB struct {
	URL  string   // where it connects; migrations and LISTEN open their own connections to it
	SQL  *sql.DB  // the pool
	Gorm *gorm.DB // GORM over the same pool; unscoped: tenant code gets a scoped one per request
	// Affinity hands tenant requests their connections from SQL, preferring
	// one that last served the same schema; nil when Options.Affinity is off.
	Affinity *Affinity
}

// Options are the pool's settings (config.yaml's database section).
type Options struct {
	MaxConns int // most connections open at once, whoever uses them
	// PipelineScope lets a tenant transaction's BEGIN and SET LOCALs travel
	// in front of its first query (Ahead) instead of costing a round trip
	// of their own (database.pipeline_scope).
	PipelineScope bool
	// Affinity makes tenant requests prefer a connection that last served
	// their schema, so PostgreSQL reuses its plans (database.affinity).
	Affinity bool
	// CommitBehind lets a read-only tenant transaction end without waiting
	// for its COMMIT, which travels in front of the connection's next
	// message (behind.go; database.commit_behind). It needs Affinity.
	CommitBehind bool
	// FlushAfter is how long an owed COMMIT waits for a message to ride in
	// front of; 0 means FlushAfter (the constant). Tests that count writes
	// lengthen it.
	FlushAfter time.Duration
}

// Defaults are the options of config.yaml's defaults for a pool of maxConns.
func Defaults(maxConns int) Options {
	return Options{MaxConns: maxConns, PipelineScope: true, Affinity: true, CommitBehind: true}
}

// Open connects to url with Defaults(maxConns); see OpenWith.
func Open(ctx context.Context, url string, maxConns int) (*DB, error) {
	return OpenWith(ctx, url, Defaults(maxConns))
}

// OpenWith connects to url, checks the server answers, and sizes the pool.
// Queries go as pgx's cached prepared statements unless url chooses a
// default_query_exec_mode itself (execmode.go says why).
func OpenWith(ctx context.Context, url string, o Options) (*DB, error) {
	cfg, err := ParseConfig(url)
	if err != nil {
		return nil, err
	}
	return OpenConfig(ctx, url, cfg, o)
}

// ParseConfig is the pgx configuration Open uses for url: polls' query mode
// unless url names one. Callers that adjust it pass it to OpenConfig.
func ParseConfig(url string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if !namesExecMode(url) {
		cfg.DefaultQueryExecMode = DefaultQueryExecMode
	}
	sizeCaches(url, cfg)
	return cfg, nil
}

// sizeCaches gives cfg's query mode its per-connection cache, CacheSize
// long, and turns off the other, unless url sizes them. pgx makes both a
// statement and a description cache for every connection, each sized for 512
// queries up front (about 65 KB), where a mode uses one of them at most: with
// 20 connections the unused ones held 1.3 MB of serve's heap (2.6 MB in exec
// mode), and the used one another 1.3 MB.
func sizeCaches(url string, cfg *pgx.ConnConfig) {
	statements, descriptions := 0, 0
	switch cfg.DefaultQueryExecMode {
	case pgx.QueryExecModeCacheStatement:
		statements = CacheSize
	case pgx.QueryExecModeCacheDescribe:
		descriptions = CacheSize
	}
	if !strings.Contains(url, "statement_cache_capacity") {
		cfg.StatementCacheCapacity = statements
	}
	if !strings.Contains(url, "description_cache_capacity") {
		cfg.DescriptionCacheCapacity = descriptions
	}
}

// CacheSize is how many queries each connection keeps prepared (or, behind
// a pooler, described), the least recently used going first. The public
// pages send a handful of distinct queries and each admin page a few, so the
// busy ones stay; one pushed out costs a round trip when it comes back.
const CacheSize = 128

// OpenConfig is Open with a pgx configuration the caller has adjusted (the
// benchmarks wrap the network connection, for instance); url is kept for
// the connections that migrations and LISTEN open themselves. Every
// connection of the pool is wrapped in an Ahead, which holds statements back
// for its next query when o.PipelineScope is on.
func OpenConfig(ctx context.Context, url string, cfg *pgx.ConnConfig, o Options) (*DB, error) {
	var behind time.Duration // 0: no commit behind
	if o.CommitBehind && o.Affinity {
		behind = cmp.Or(o.FlushAfter, FlushAfter)
	}
	wrap := wrapAhead(o.PipelineScope, behind)
	if prev := cfg.AfterNetConnect; prev != nil {
		cfg.AfterNetConnect = func(ctx context.Context, pc *pgconn.Config, c net.Conn) (net.Conn, error) {
			c, err := prev(ctx, pc, c)
			if err != nil {
				return nil, err
			}
			return wrap(ctx, pc, c)
		}
	} else {
		cfg.AfterNetConnect = wrap
	}
	sqlDB := stdlib.OpenDB(*cfg)
	sqlDB.SetMaxOpenConns(o.MaxConns)
	sqlDB.SetMaxIdleConns(o.MaxConns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	gdb, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true, // every tenant request already runs in one transaction
		// Name every column instead of SELECT *: a statement cached by pgx
		// then keeps its result type when a migration adds a column, where
		// SELECT * fails with "cached plan must not change result type" on
		// every pooled connection that had cached it (the previous release
		// serving tenants already migrated; see README, "Migrating many tenants").
		QueryFields: true,
	})
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open gorm: %w", err)
	}
	db := &DB{URL: url, SQL: sqlDB, Gorm: gdb}
	if o.Affinity {
		db.Affinity = NewAffinity(sqlDB, ParkLimit)
	}
	return db, nil
}

// Close closes the pool, first giving back the connections Affinity keeps.
func (db *DB) Close() error {
	if db.Affinity != nil {
		db.Affinity.Close()
	}
	return db.SQL.Close()
}
