package tenant

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Querier is what the registry's reads run on: the pool, a transaction, or
// a request's scoped handle (its gorm Statement.ConnPool), so the platform
// admin lists tenants inside its own request transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// States a tenant is listed in (ListQuery.State, Listed.State).
const (
	StateReady     = "ready"     // served
	StateSuspended = "suspended" // by hand, or past paid_until without a trial: 402
	StateBehind    = "behind"    // its schema is behind the server's code: maintenance page
	StateMigrating = "migrating" // polls migrate is at it: maintenance page
	StateFailed    = "failed"    // its last migration failed: maintenance page
	StateUnrouted  = "unrouted"  // being created or deleted (or stopped midway): never routed
)

// States lists every state, in the order the admin's filter shows them.
var States = []string{StateReady, StateSuspended, StateBehind, StateMigrating, StateFailed, StateUnrouted}

// Plan filters of ListQuery.Plan.
const (
	PlanPaid    = "paid"    // paid_until today or later
	PlanExpired = "expired" // paid_until before today
	PlanNoEnd   = "no_end"  // no paid_until
)

// ListQuery chooses one page of the tenants list; zero fields choose nothing.
type ListQuery struct {
	Search  string // in schema, name and domains, case-insensitive
	State   string // one of States
	OnTrial *bool
	Plan    string // PlanPaid, PlanExpired or PlanNoEnd
	Sort    string // a key of ListSorts, "-" in front for descending; schema when empty
	Offset  int
	Limit   int
	Needs   int64     // the tenant version the server's code needs (StateBehind); 0: none
	Today   time.Time // the current date (UTC) for StateSuspended and the plan filters
}

// ListSorts are the columns the list sorts by, and their SQL. Every order
// ends with the id, so pages never overlap.
var ListSorts = map[string]string{
	"schema": "schema_name", "name": "name", "paid_until": "paid_until", "on_trial": "on_trial",
	"state": "state", "version": "schema_version", "created": "created_at",
}

// Listed is a tenant as the list shows it.
type Listed struct {
	Record
	State     string
	Version   int64 // 0: not recorded yet
	CreatedAt time.Time
	Size      int64 // bytes on disk of its schema's tables with their indexes and TOAST
}

// listState is the SQL of a tenant's state, in the order the states take
// precedence: an unrouted tenant is nothing else, a migration hides the plan.
const listState = `CASE WHEN NOT t.ready THEN 'unrouted'
	WHEN t.migration_state = 'failed' THEN 'failed'
	WHEN t.migration_state = 'migrating' THEN 'migrating'
	WHEN $1::bigint > 0 AND t.schema_version < $1::bigint THEN 'behind'
	WHEN t.suspended OR (NOT t.on_trial AND t.paid_until < $2::date) THEN 'suspended'
	ELSE 'ready' END`

// ListPage returns one page of the tenants list and how many tenants match
// q in all. Filtering, sorting and paging happen in SQL: a page reads the
// registry's rows (a few milliseconds at 10,000 tenants, measured in
// app/platformadmin's TestTenantsListAtTenThousand) and sends only its own;
// the domains and the sizes on disk are read for the page's rows only.
func ListPage(ctx context.Context, db Querier, q ListQuery) ([]Listed, int, error) {
	where, args := listFilter(q)
	order, err := listOrder(q.Sort)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT t.*, `+listState+` AS state
		FROM public.tenants t) t WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count tenants: %w", err)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.QueryContext(ctx, `SELECT id, schema_name, name, paid_until, on_trial, suspended,
		COALESCE(role_name, ''), state, COALESCE(schema_version, 0), created_at, language, languages = 'any'
		FROM (SELECT t.*, `+listState+` AS state FROM public.tenants t) t
		WHERE `+where+` ORDER BY `+order+` LIMIT `+fmt.Sprint(limit)+` OFFSET `+fmt.Sprint(max(q.Offset, 0)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list tenants: %w", err)
	}
	defer rows.Close()
	var out []Listed
	for rows.Next() {
		var l Listed
		if err := rows.Scan(&l.ID, &l.Schema, &l.Name, &l.PaidUntil, &l.OnTrial, &l.Suspended, &l.Role,
			&l.State, &l.Version, &l.CreatedAt, &l.Language.Own, &l.Language.Any); err != nil {
			return nil, 0, fmt.Errorf("list tenants: %w", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list tenants: %w", err)
	}
	if err := addDomains(ctx, db, out); err != nil {
		return nil, 0, err
	}
	return out, total, addSizes(ctx, db, out)
}

// listFilter is the WHERE clause of q over the tenants with their state,
// and its arguments ($1 and $2 are listState's).
func listFilter(q ListQuery) (string, []any) {
	today := q.Today.UTC().Format(time.DateOnly)
	args := []any{q.Needs, today}
	conds := []string{"true"}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if s := strings.TrimSpace(q.Search); s != "" {
		p := arg(strings.ToLower(s))
		conds = append(conds, `(strpos(t.schema_name, `+p+`) > 0 OR strpos(lower(t.name), `+p+`) > 0
			OR EXISTS (SELECT 1 FROM public.domains d WHERE d.tenant_id = t.id AND strpos(d.domain, `+p+`) > 0))`)
	}
	if q.State != "" {
		conds = append(conds, "t.state = "+arg(q.State))
	}
	if q.OnTrial != nil {
		conds = append(conds, "t.on_trial = "+arg(*q.OnTrial))
	}
	switch q.Plan {
	case PlanPaid:
		conds = append(conds, "t.paid_until >= $2::date")
	case PlanExpired:
		conds = append(conds, "t.paid_until < $2::date")
	case PlanNoEnd:
		conds = append(conds, "t.paid_until IS NULL")
	}
	return strings.Join(conds, " AND "), args
}

// listOrder is the ORDER BY of a sort key ("-" in front: descending).
func listOrder(key string) (string, error) {
	desc := strings.HasPrefix(key, "-")
	col, ok := ListSorts[strings.TrimPrefix(key, "-")]
	if key == "" {
		col, ok = ListSorts["schema"], true
	}
	if !ok {
		return "", fmt.Errorf("no tenants list column %q", key)
	}
	if desc { // PostgreSQL's default: no paid_until (no end) sorts as the latest
		return col + " DESC, id DESC", nil
	}
	return col + ", id", nil
}

// addDomains fills in the domains of ls, primary first.
func addDomains(ctx context.Context, db Querier, ls []Listed) error {
	if len(ls) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]string, len(ls))
	for i, l := range ls {
		at[l.ID], ids[i] = i, fmt.Sprint(l.ID)
	}
	rows, err := db.QueryContext(ctx, `SELECT tenant_id, domain, is_primary FROM public.domains
		WHERE tenant_id = ANY(string_to_array($1, ',')::bigint[]) ORDER BY tenant_id, is_primary DESC, domain`,
		strings.Join(ids, ","))
	if err != nil {
		return fmt.Errorf("list tenants' domains: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var d Domain
		if err := rows.Scan(&id, &d.Name, &d.Primary); err != nil {
			return fmt.Errorf("list tenants' domains: %w", err)
		}
		l := &ls[at[id]]
		l.Domains = append(l.Domains, d)
	}
	return rows.Err()
}

// addSizes fills in the size on disk of each tenant's schema: the sum of
// pg_total_relation_size (table, indexes, TOAST) over its tables. Read from
// the catalog, which any user may read: no tenant's data is touched.
func addSizes(ctx context.Context, db Querier, ls []Listed) error {
	if len(ls) == 0 {
		return nil
	}
	at := map[string]int{}
	names := make([]string, len(ls))
	for i, l := range ls {
		at[l.Schema], names[i] = i, l.Schema
	}
	rows, err := db.QueryContext(ctx, `SELECT n.nspname, COALESCE(sum(pg_total_relation_size(c.oid)), 0)::bigint
		FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'm')
		WHERE n.nspname = ANY(string_to_array($1, ',')) GROUP BY n.nspname`, strings.Join(names, ","))
	if err != nil {
		return fmt.Errorf("read tenants' sizes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var schema string
		var size int64
		if err := rows.Scan(&schema, &size); err != nil {
			return fmt.Errorf("read tenants' sizes: %w", err)
		}
		ls[at[schema]].Size = size
	}
	return rows.Err()
}

// Inspect returns one tenant as the list shows it, ready or not;
// ErrNoSuchTenant if none.
func Inspect(ctx context.Context, db Querier, schema string, needs int64, today time.Time) (Listed, error) {
	var l Listed
	err := db.QueryRowContext(ctx, `SELECT id, schema_name, name, paid_until, on_trial, suspended,
		COALESCE(role_name, ''), `+listState+`, COALESCE(schema_version, 0), created_at, language, languages = 'any'
		FROM public.tenants t WHERE schema_name = $3`, needs, today.UTC().Format(time.DateOnly), schema).Scan(
		&l.ID, &l.Schema, &l.Name, &l.PaidUntil, &l.OnTrial, &l.Suspended, &l.Role, &l.State, &l.Version, &l.CreatedAt,
		&l.Language.Own, &l.Language.Any)
	if err == sql.ErrNoRows {
		return l, fmt.Errorf("%w: %q", ErrNoSuchTenant, schema)
	}
	if err != nil {
		return l, fmt.Errorf("inspect tenant %s: %w", schema, err)
	}
	ls := []Listed{l}
	if err := addDomains(ctx, db, ls); err != nil {
		return l, err
	}
	if err := addSizes(ctx, db, ls); err != nil {
		return l, err
	}
	return ls[0], nil
}
