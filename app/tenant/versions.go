package tenant

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
)

// VersionRegistry is the registry as `polls migrate` records each tenant's
// migration in it (dbmigrate.Registry): the statements are in registry.go.
type VersionRegistry struct {
	SQL *sql.DB
}

// Recorded returns the ready tenants recorded at version or past it, and idle.
func (r VersionRegistry) Recorded(ctx context.Context, version uint) (map[string]bool, error) {
	return RecordedAt(ctx, r.SQL, version)
}

// Migrating records, committed on conn, that schema's migration begins.
func (r VersionRegistry) Migrating(ctx context.Context, conn *pgx.Conn, schema string) error {
	return MarkMigrating(ctx, conn, schema)
}

// Applied records schema at version in the migration's transaction.
func (r VersionRegistry) Applied(ctx context.Context, tx pgx.Tx, schema string, version uint) error {
	return RecordVersion(ctx, tx, schema, version)
}

// Failed records that schema's migration failed, and why.
func (r VersionRegistry) Failed(ctx context.Context, conn *pgx.Conn, schema, why string) error {
	return MarkFailed(ctx, conn, schema, why)
}
