package tenant

import (
	"context"
	"database/sql"
	"errors"
)

// The registry as the request path reads it: routes (domain → tenant), the
// version number every registry change bumps, and each running server's
// acknowledgement of the version it routes by (see registry.go).

// routesQuery lists every route of a ready tenant.
const routesQuery = `
SELECT d.domain, t.id, t.schema_name, t.name,
       COALESCE((SELECT p.domain FROM public.domains p WHERE p.tenant_id = t.id AND p.is_primary), d.domain),
       COALESCE(t.role_name, ''), t.paid_until, t.on_trial, t.suspended,
       COALESCE(t.schema_version, 0), t.migration_state, t.language, t.languages = 'any'` + routesFrom

// routesFrom is where routesQuery's rows come from: every domain of a ready tenant.
const routesFrom = `
FROM public.domains d JOIN public.tenants t ON t.id = d.tenant_id
WHERE t.ready`

// routeFields are where a row of routesQuery goes.
func routeFields(domain *string, s *Site) []any {
	return []any{domain, &s.ID, &s.Schema, &s.Name, &s.Domain, &s.Role, &s.Plan.PaidUntil, &s.Plan.OnTrial, &s.Plan.Suspended,
		&s.Version.Number, &s.Version.Migration, &s.Language.Own, &s.Language.Any}
}

// lookupRoute reads one host's route from the registry.
func lookupRoute(ctx context.Context, q querier, host string) (Site, bool, error) {
	var s Site
	var domain string
	err := q.QueryRowContext(ctx, routesQuery+` AND d.domain = $1`, host).Scan(routeFields(&domain, &s)...)
	if errors.Is(err, sql.ErrNoRows) {
		return Site{}, false, nil
	}
	return s, err == nil, err
}

// loadRoutes reads every route and the registry version they are of, in one
// snapshot: routes of version v include every change up to v.
// hint is how many routes there likely are (scanRoutes); 0: not known, and
// they are counted first, in the same snapshot.
func loadRoutes(ctx context.Context, db *sql.DB, hint int) (routeTable, int64, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	version, err := registryVersion(ctx, tx)
	if err != nil {
		return nil, 0, err
	}
	if hint == 0 {
		if err := tx.QueryRowContext(ctx, `SELECT count(*)`+routesFrom).Scan(&hint); err != nil {
			return nil, 0, err
		}
	}
	rows, err := tx.QueryContext(ctx, routesQuery)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	routes, err := scanRoutes(rows, hint)
	return routes, version, err
}

// routeTable is the routes by domain. It holds pointers, each to a Site
// never changed once stored (a change stores a new one, readers get copies):
// a map of Site values (about 200 bytes each) kept that much in every slot,
// used or spare for growth, 4.5 MB of serve's heap with 10,000 tenants.
type routeTable map[string]*Site

// loadTenantRoutes reads the routes of the tenants ids (none for a tenant
// deleted or not ready).
func loadTenantRoutes(ctx context.Context, db *sql.DB, ids []int64) (routeTable, error) {
	rows, err := db.QueryContext(ctx, routesQuery+` AND t.id = ANY($1)`, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanRoutes(rows, len(ids))
}

// registryVersion reads the registry's version number: after a change
// commits, at least the version it made.
func registryVersion(ctx context.Context, q querier) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, `SELECT version FROM public.registry_version`).Scan(&v)
	return v, err
}

// acknowledgeRoutes records that the server whose LISTEN backend is pid
// routes by registry version.
func acknowledgeRoutes(ctx context.Context, q querier, pid uint32, version int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO public.route_acks (listener_pid, version) VALUES ($1, $2)
		ON CONFLICT (listener_pid) DO UPDATE SET version = GREATEST(route_acks.version, EXCLUDED.version), loaded_at = now()`, int64(pid), version)
	return err
}

// serversBehind counts the running servers (each a LISTEN connection named
// ListenerName) that have not acknowledged version yet.
func serversBehind(ctx context.Context, q querier, version int64) (int, error) {
	var behind int
	err := q.QueryRowContext(ctx, `
		SELECT count(*) FROM pg_stat_activity a
		WHERE a.datname = current_database() AND a.application_name = $1
		  AND NOT EXISTS (SELECT 1 FROM public.route_acks k
		                  WHERE k.listener_pid = a.pid AND k.version >= $2)`, ListenerName, version).Scan(&behind)
	return behind, err
}
