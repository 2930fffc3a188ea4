// Package dbmigrate applies the embedded SQL migrations with golang-migrate: the
// shared set to the public schema, the tenant set to each tenant schema, each
// schema keeping its own schema_migrations table so tenants migrate independently.
package dbmigrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/golang-migrate/migrate/v4"
	"github.com/golang-migrate/migrate/v4/database"
	pgxmigrate "github.com/golang-migrate/migrate/v4/database/pgx/v5"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"polls/migrations"
)

// Result says what one schema's migration did.
type Result struct {
	Schema string
	From   uint // version before; 0 when the schema had none
	To     uint // version after
	// Took is how long Run spent on the tenant, from recording that its
	// migration begins to its commit: with a registry, the window in which
	// its visitors get the maintenance page. 0 from Up and the like.
	Took time.Duration
}

// Changed reports whether any migration was applied.
func (r Result) Changed() bool { return r.From != r.To }

// Shared brings the public schema to the latest shared version. The
// schemas it makes (polls_platform, migration 9) stay beside the registry:
// on a Citus coordinator with schema-based sharding, every schema created
// would otherwise become a distributed schema on a worker, and Citus
// refuses such a migration's multi-statement CREATE INDEX. So its session
// turns that sharding off, a setting plain PostgreSQL keeps as an unused
// placeholder.
func Shared(ctx context.Context, url string) (Result, error) {
	return upAs(ctx, url, "public", "", migrations.Shared(), 0, map[string]string{"citus.enable_schema_based_sharding": "off"})
}

// Tenant brings one tenant schema (which must exist) to the latest tenant
// version, acting as role (when not empty) so every object it creates belongs
// to the tenant's role.
func Tenant(ctx context.Context, url, schema, role string) (Result, error) {
	return UpAs(ctx, url, schema, role, migrations.Tenant())
}

// Latest returns the newest version in the tenant migrations.
func Latest(src fs.FS) (uint, error) {
	d, err := iofs.New(src, ".")
	if err != nil {
		return 0, err
	}
	defer d.Close()
	v, err := d.First()
	for err == nil {
		next, nerr := d.Next(v)
		if nerr != nil {
			break
		}
		v = next
	}
	return v, err
}

// Up runs src's migrations on a connection of its own whose search_path is
// schema, so the unqualified names in tenant migrations land in that schema.
func Up(ctx context.Context, url, schema string, src fs.FS) (Result, error) {
	return UpAs(ctx, url, schema, "", src)
}

// UpAs is Up acting as role for the whole session, when role is not empty.
// The connection is private to this call and closed after it.
func UpAs(ctx context.Context, url, schema, role string, src fs.FS) (Result, error) {
	return upAs(ctx, url, schema, role, src, 0, nil)
}

// UpToAs is UpAs stopping at version rather than at the latest; it refuses a
// version that src does not have. A schema already past version is an error.
func UpToAs(ctx context.Context, url, schema, role string, src fs.FS, version uint) (Result, error) {
	if version == 0 {
		return Result{Schema: schema}, fmt.Errorf("migrate %s: version 0 is not a migration", schema)
	}
	return upAs(ctx, url, schema, role, src, version, nil)
}

// upAs applies src's migrations up to version (0: all of them), with
// settings set on the session (after connecting, not in the startup
// packet, which PgBouncer refuses unknown names in).
func upAs(ctx context.Context, url, schema, role string, src fs.FS, target uint, settings map[string]string) (res Result, err error) {
	res.Schema = schema
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return res, fmt.Errorf("parse database url: %w", err)
	}
	cfg.RuntimeParams["search_path"] = pgx.Identifier{schema}.Sanitize()
	var opts []stdlib.OptionOpenDB
	if role != "" || len(settings) > 0 {
		opts = append(opts, stdlib.OptionAfterConnect(func(ctx context.Context, c *pgx.Conn) error {
			for k, v := range settings {
				if _, err := c.Exec(ctx, `SELECT set_config($1, $2, false)`, k, v); err != nil {
					return err
				}
			}
			if role == "" {
				return nil
			}
			_, err := c.Exec(ctx, "SET ROLE "+pgx.Identifier{role}.Sanitize())
			return err
		}))
	}
	db := stdlib.OpenDB(*cfg, opts...)
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		return res, fmt.Errorf("migrate %s: connect: %w", schema, err)
	}
	m, err := newMigrate(db, schema, src)
	if err != nil {
		return res, fmt.Errorf("migrate %s: %w", schema, err)
	}
	defer m.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() { // golang-migrate takes no context; GracefulStop is its way to be told.
		select {
		case <-ctx.Done():
			m.GracefulStop <- true
		case <-stop:
		}
	}()

	if v, dirty, verr := m.Version(); verr == nil && dirty {
		// Every migration file runs as one transaction, so a dirty version was
		// rolled back entirely: mark the one before it current and go again.
		if err := forceBefore(m, src, v); err != nil {
			return res, fmt.Errorf("migrate %s: clear dirty version %d: %w", schema, v, err)
		}
	}
	res.From, err = version(m)
	if err != nil {
		return res, fmt.Errorf("migrate %s: %w", schema, err)
	}
	if target == 0 {
		err = m.Up()
	} else {
		err = m.Migrate(target)
	}
	if err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return res, fmt.Errorf("migrate %s: %w", schema, err)
	}
	res.To, err = version(m)
	if err != nil {
		return res, fmt.Errorf("migrate %s: %w", schema, err)
	}
	return res, nil
}

func newMigrate(db *sql.DB, schema string, src fs.FS) (*migrate.Migrate, error) {
	drv, err := pgxmigrate.WithInstance(db, &pgxmigrate.Config{SchemaName: schema, MigrationsTable: "schema_migrations"})
	if err != nil {
		return nil, err
	}
	source, err := iofs.New(src, ".")
	if err != nil {
		return nil, err
	}
	return migrate.NewWithInstance("iofs", source, "pgx5", drv)
}

func version(m *migrate.Migrate) (uint, error) {
	v, _, err := m.Version()
	if errors.Is(err, migrate.ErrNilVersion) {
		return 0, nil
	}
	return v, err
}

// forceBefore marks the version before v current. A v these migrations do
// not have (a newer release's) is refused: "before" it is unknown, and
// guessing none would replay every migration over the tenant's tables.
func forceBefore(m *migrate.Migrate, src fs.FS, v uint) error {
	if vs, err := Versions(src); err == nil && !slices.Contains(vs, v) {
		return fmt.Errorf("version %d is not one of these migrations: check the schema, then `polls migrate --schema NAME --force VERSION`", v)
	}
	d, err := iofs.New(src, ".")
	if err != nil {
		return err
	}
	defer d.Close()
	prev, err := d.Prev(v)
	if err != nil {
		return m.Force(database.NilVersion)
	}
	return m.Force(int(prev))
}
