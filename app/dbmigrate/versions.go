package dbmigrate

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// currentSchemas returns the schemas among targets whose tenant migrations are
// already at latest and clean, read over one connection with one short query
// each. With thousands of tenants and nothing to apply, `polls migrate` then
// opens no connection per tenant and takes no lock: the common case is cheap.
// Any schema it cannot read (no version table yet, say) is left to the full
// migration, which reports what is wrong.
func currentSchemas(ctx context.Context, url string, targets []Target, latest uint) (map[string]bool, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("read tenant versions: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	current := map[string]bool{}
	for _, t := range targets {
		var version int64
		var dirty bool
		q := `SELECT version, dirty FROM ` + pgx.Identifier{t.Schema, "schema_migrations"}.Sanitize()
		if err := conn.QueryRow(ctx, q).Scan(&version, &dirty); err == nil && !dirty && version == int64(latest) {
			current[t.Schema] = true
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	return current, nil
}
