package tenant

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ErrNoSuchTenant is returned for a schema name that is not a tenant.
var ErrNoSuchTenant = errors.New("no such tenant")

// Delete removes a tenant: it first takes the tenant off every server (the row
// is marked not ready, and it waits until every running server has reloaded
// its routes without it), then drops the schema with everything in it, then
// the row and its domains, then its role if no other database still uses it.
// If a server does not confirm in time, nothing is dropped and the tenant
// stays unroutable; running it again finishes, as after any stop midway.
func Delete(ctx context.Context, db *sql.DB, schema string) error {
	return DeleteAfter(ctx, db, schema, nil)
}

// DeleteAfter is Delete running last (when not nil) once no server routes
// the tenant any more and before anything is dropped: to archive it with no
// request changing it meanwhile. If last fails, nothing is dropped and the
// tenant is routed again.
func DeleteAfter(ctx context.Context, db *sql.DB, schema string, last func(context.Context) error) error {
	id, err := unroute(ctx, db, schema)
	if errors.Is(err, ErrNoSuchTenant) {
		return err
	}
	if err != nil {
		return fmt.Errorf("delete tenant %s: %w", schema, err)
	}
	version, err := registryVersion(ctx, db)
	if err != nil {
		return fmt.Errorf("delete tenant %s: %w", schema, err)
	}
	if err := AwaitRouted(ctx, db, version, RoutedTimeout); err != nil {
		return fmt.Errorf("delete tenant %s: its domains no longer route, but its schema is kept: %w (run deletetenant again)", schema, err)
	}
	if last != nil {
		if err := last(ctx); err != nil {
			if rerr := markReady(context.WithoutCancel(ctx), db, id); rerr != nil {
				return fmt.Errorf("delete tenant %s: %w; it is kept, but stays unrouted: %v (run deletetenant again)", schema, err, rerr)
			}
			return fmt.Errorf("delete tenant %s: %w; nothing was deleted", schema, err)
		}
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("delete tenant %s: %w", schema, err)
	}
	defer conn.Close()
	if err := dropTenant(ctx, conn, id, schema); err != nil {
		return fmt.Errorf("delete tenant %s: %w", schema, err)
	}
	// A role owning objects in another database cannot be dropped; it is then
	// still that database's tenant's, and stays.
	_, _ = conn.ExecContext(ctx, `DROP ROLE IF EXISTS `+pgx.Identifier{RoleFor(schema)}.Sanitize())
	return nil
}
