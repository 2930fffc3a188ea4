package tenant

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrNoSuchTenant is returned for a schema name that is not a tenant.
var ErrNoSuchTenant = errors.New("no such tenant")

// Delete removes a tenant: it first takes the tenant off every server (the row
// is marked not ready, and it waits until every running server has reloaded
// its routes without it), then drops the schema with everything in it, then
// the row and its domains, then the role the row records, unless another
// database still uses it (a role made before roles had a prefix per
// installation): then it is that database's tenant's too, and stays.
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
	id, role, err := unroute(ctx, db, schema)
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
	if role == "" {
		return nil
	}
	err = inTx(ctx, db, func(tx *sql.Tx) error {
		_, err := dropUnlessShared(ctx, tx, role)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete tenant %s: its schema is gone but its role stays: %w", schema, err)
	}
	return nil
}
