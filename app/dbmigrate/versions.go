package dbmigrate

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SchemaVersion is a schema's migration version as golang-migrate's table
// in it records it.
type SchemaVersion struct {
	Version uint
	Dirty   bool
	Err     error // the table could not be read (none yet, say)
}

// ReadVersions reads each schema's version table over one connection, with
// one short query each.
func ReadVersions(ctx context.Context, url string, schemas []string) (map[string]SchemaVersion, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("read tenant versions: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	out := make(map[string]SchemaVersion, len(schemas))
	for _, s := range schemas {
		var version int64
		var v SchemaVersion
		q := `SELECT version, dirty FROM ` + pgx.Identifier{s, "schema_migrations"}.Sanitize()
		if v.Err = conn.QueryRow(ctx, q).Scan(&version, &v.Dirty); v.Err == nil {
			v.Version = uint(max(version, 0))
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out[s] = v
	}
	return out, nil
}

// currentSchemas returns the schemas among targets whose tenant migrations are
// already at latest and clean: the first pass of Run when no registry records
// versions. Any schema it cannot read (no version table yet, say) is left to
// the full migration, which reports what is wrong.
func currentSchemas(ctx context.Context, url string, targets []Target, latest uint) (map[string]bool, error) {
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = t.Schema
	}
	vs, err := ReadVersions(ctx, url, names)
	if err != nil {
		return nil, err
	}
	current := map[string]bool{}
	for s, v := range vs {
		if v.Err == nil && !v.Dirty && v.Version == latest {
			current[s] = true
		}
	}
	return current, nil
}
