package tenant

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The tenant registry lives in the public schema: public.tenants (one row a
// tenant: schema, name, plan, role, ready) and public.domains (the hostnames
// each answers on). This file, registry_routes.go and registry_list.go are
// its one home: every statement that reads or writes those tables is here,
// so a change to the registry's shape is a change to these three files.

// Record is a tenant as the registry holds it.
type Record struct {
	ID        int64
	Schema    string
	Name      string
	PaidUntil *time.Time
	OnTrial   bool
	Suspended bool     // by hand (polls suspend); see Plan.SuspendedAt for the whole rule
	Role      string   // the PostgreSQL role owning the schema; "" before it has one
	Domains   []Domain // primary first, then by name
	Language  Language
}

// Domain is a hostname a tenant answers on.
type Domain struct {
	Name    string
	Primary bool
}

// Plan is the tenant's standing.
func (r Record) Plan() Plan {
	return Plan{PaidUntil: r.PaidUntil, OnTrial: r.OnTrial, Suspended: r.Suspended}
}

// PrimaryDomain returns the tenant's primary domain, or its first one.
func (r Record) PrimaryDomain() string {
	if len(r.Domains) > 0 {
		return r.Domains[0].Name // ordered primary first
	}
	return ""
}

// querier is what registry statements run on: the pool, one connection
// (whose session holds an advisory lock), or a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inTx runs fn in one transaction on db and commits it if fn succeeds.
func inTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// List returns every ready tenant with its domains, ordered by schema name.
func List(ctx context.Context, db *sql.DB) ([]Record, error) {
	return records(ctx, db, "")
}

// Find returns the ready tenant of schema; ErrNoSuchTenant if none.
func Find(ctx context.Context, db *sql.DB, schema string) (Record, error) {
	rs, err := records(ctx, db, schema)
	if err != nil {
		return Record{}, err
	}
	if len(rs) == 0 {
		return Record{}, fmt.Errorf("%w: %q (polls tenants lists them)", ErrNoSuchTenant, schema)
	}
	return rs[0], nil
}

// records reads the ready tenants with their domains, only schema's when it
// is not "".
func records(ctx context.Context, db *sql.DB, schema string) ([]Record, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT t.id, t.schema_name, t.name, t.paid_until, t.on_trial, t.suspended, COALESCE(t.role_name, ''),
		       COALESCE(d.domain, ''), COALESCE(d.is_primary, false), t.language, t.languages = 'any'
		FROM public.tenants t LEFT JOIN public.domains d ON d.tenant_id = t.id
		WHERE t.ready AND ($1 = '' OR t.schema_name = $1)
		ORDER BY t.schema_name, d.is_primary DESC, d.domain`, schema)
	if err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var d Domain
		if err := rows.Scan(&r.ID, &r.Schema, &r.Name, &r.PaidUntil, &r.OnTrial, &r.Suspended, &r.Role, &d.Name, &d.Primary,
			&r.Language.Own, &r.Language.Any); err != nil {
			return nil, fmt.Errorf("list tenants: %w", err)
		}
		if n := len(out); n == 0 || out[n-1].ID != r.ID {
			out = append(out, r)
		}
		if d.Name != "" {
			last := &out[len(out)-1]
			last.Domains = append(last.Domains, d)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	return out, nil
}

// tenantRow finds a tenant by schema, ready or not.
func tenantRow(ctx context.Context, q querier, schema string) (id int64, ready, found bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT id, ready FROM public.tenants WHERE schema_name = $1`, schema).Scan(&id, &ready)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, false, nil
	}
	return id, ready, err == nil, err
}

// readyTenantID finds a ready tenant by schema; ErrNoSuchTenant if none.
func readyTenantID(ctx context.Context, q querier, schema string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM public.tenants WHERE schema_name = $1 AND ready`, schema).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("%w: %q (polls tenants lists them)", ErrNoSuchTenant, schema)
	}
	return id, err
}

// tenantLanguage reads the language of the tenant with schema.
func tenantLanguage(ctx context.Context, q querier, schema string) (Language, error) {
	var l Language
	err := q.QueryRowContext(ctx, `SELECT language, languages = 'any' FROM public.tenants WHERE schema_name = $1`, schema).Scan(&l.Own, &l.Any)
	return l, err
}

// insertTenant registers nt, not ready (never routed) until markReady, with
// its primary domain.
func insertTenant(ctx context.Context, q querier, nt NewTenant) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO public.tenants (schema_name, name, paid_until, on_trial, suspended, language, languages)
		VALUES ($1, $2, $3, $4, $5, COALESCE(NULLIF($6, ''), 'en'), CASE WHEN $7 THEN 'any' ELSE 'own' END) RETURNING id`,
		nt.Schema, nt.Name, nt.PaidUntil, nt.OnTrial, nt.Suspended, nt.Language.Own, nt.Language.Any).Scan(&id)
	if isUniqueViolation(err) {
		return 0, &ExistsError{Taken: SchemaTaken, Name: nt.Schema}
	}
	if err != nil {
		return 0, err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO public.domains (domain, tenant_id, is_primary) VALUES ($1, $2, true)`, nt.Domain, id)
	if isUniqueViolation(err) {
		return 0, &ExistsError{Taken: DomainTaken, Name: nt.Domain}
	}
	if err != nil {
		return 0, err
	}
	for _, d := range nt.MoreDomains {
		if err := insertDomain(ctx, q, id, d, false); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// markReady makes a tenant routable.
func markReady(ctx context.Context, q querier, id int64) error {
	_, err := q.ExecContext(ctx, `UPDATE public.tenants SET ready = true WHERE id = $1`, id)
	return err
}

// markReadyAt makes a new tenant routable and records its schema version as
// its own schema_migrations table says (it was built by migrations, or copied
// from another tenant), so the registry knows it from the first request.
func markReadyAt(ctx context.Context, q querier, id int64, schema string) error {
	_, err := q.ExecContext(ctx, `UPDATE public.tenants SET ready = true, migration_state = 'idle', migration_error = NULL,
		schema_version = (SELECT max(version) FROM `+pgx.Identifier{schema, "schema_migrations"}.Sanitize()+` WHERE NOT dirty)
		WHERE id = $1`, id)
	return err
}

// markReadyAs records the tenant's role ("" for none) and schema version and
// makes it routable, in one statement: every registry change bumps
// registry_version, whose row lock is then held until commit, so it comes
// last in a transaction.
func markReadyAs(ctx context.Context, q querier, id int64, role string, version uint) error {
	_, err := q.ExecContext(ctx, `UPDATE public.tenants SET ready = true, role_name = NULLIF($2, ''),
		schema_version = $3, migration_state = 'idle', migration_error = NULL WHERE id = $1`, id, role, int64(version))
	return err
}

// unroute makes a tenant unroutable and returns its id and recorded role
// ("" for none); ErrNoSuchTenant if none.
func unroute(ctx context.Context, q querier, schema string) (int64, string, error) {
	var id int64
	var role string
	err := q.QueryRowContext(ctx, `UPDATE public.tenants SET ready = false WHERE schema_name = $1
		RETURNING id, COALESCE(role_name, '')`, schema).Scan(&id, &role)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", fmt.Errorf("%w: %q (polls tenants lists them)", ErrNoSuchTenant, schema)
	}
	return id, role, err
}

// deleteTenantRow removes a tenant and, by cascade, its domains.
func deleteTenantRow(ctx context.Context, q querier, id int64) error {
	_, err := q.ExecContext(ctx, `DELETE FROM public.tenants WHERE id = $1`, id)
	return err
}

// setRole records the role that owns a tenant's schema.
func setRole(ctx context.Context, q querier, schema, role string) error {
	_, err := q.ExecContext(ctx, `UPDATE public.tenants SET role_name = $1 WHERE schema_name = $2`, role, schema)
	return err
}

// insertDomain routes domain to tenant id too; primary takes that role from
// the tenant's other domains.
func insertDomain(ctx context.Context, q querier, id int64, domain string, primary bool) error {
	if primary {
		if _, err := q.ExecContext(ctx, `UPDATE public.domains SET is_primary = false WHERE tenant_id = $1`, id); err != nil {
			return err
		}
	}
	_, err := q.ExecContext(ctx, `INSERT INTO public.domains (domain, tenant_id, is_primary) VALUES ($1, $2, $3)`, domain, id, primary)
	if isUniqueViolation(err) {
		return &ExistsError{Taken: DomainTaken, Name: domain}
	}
	return err
}

// setPrimaryDomain makes domain its tenant's primary one.
func setPrimaryDomain(ctx context.Context, q querier, domain string) error {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT tenant_id FROM public.domains WHERE domain = $1 FOR UPDATE`, domain).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %q", ErrNoSuchDomain, domain)
	}
	if err != nil {
		return err
	}
	// Two statements: the index allowing one primary is checked row by row.
	if _, err := q.ExecContext(ctx, `UPDATE public.domains SET is_primary = false WHERE tenant_id = $1 AND is_primary AND domain <> $2`, id, domain); err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `UPDATE public.domains SET is_primary = true WHERE domain = $1 AND NOT is_primary`, domain)
	return err
}

// deleteDomain stops routing domain, unless it is its tenant's last; the
// tenant's oldest other domain becomes primary if it was.
func deleteDomain(ctx context.Context, q querier, domain string) error {
	var tenantID int64
	var primary bool
	err := q.QueryRowContext(ctx, `SELECT tenant_id, is_primary FROM public.domains WHERE domain = $1 FOR UPDATE`, domain).Scan(&tenantID, &primary)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %q", ErrNoSuchDomain, domain)
	}
	if err != nil {
		return err
	}
	var others int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM public.domains WHERE tenant_id = $1 AND domain <> $2`, tenantID, domain).Scan(&others); err != nil {
		return err
	}
	if others == 0 {
		return fmt.Errorf("domain %q is its tenant's only domain: add another first, or delete the tenant", domain)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM public.domains WHERE domain = $1`, domain); err != nil {
		return err
	}
	if primary {
		_, err := q.ExecContext(ctx, `UPDATE public.domains SET is_primary = true
			WHERE id = (SELECT min(id) FROM public.domains WHERE tenant_id = $1)`, tenantID)
		return err
	}
	return nil
}

// updatePlan changes a ready tenant's name and plan (nil fields are kept;
// clearPaidUntil removes the end date) and returns the tenant's plan after it.
func updatePlan(ctx context.Context, q querier, schema string, ch PlanChange) (Plan, error) {
	var p Plan
	err := q.QueryRowContext(ctx, `
		UPDATE public.tenants SET
		    name = COALESCE($2, name),
		    paid_until = CASE WHEN $3 THEN NULL ELSE COALESCE($4::date, paid_until) END,
		    on_trial = COALESCE($5, on_trial),
		    suspended = COALESCE($6, suspended),
		    language = COALESCE($7, language),
		    languages = CASE WHEN $8::boolean IS NULL THEN languages WHEN $8 THEN 'any' ELSE 'own' END
		WHERE schema_name = $1 AND ready
		RETURNING paid_until, on_trial, suspended`,
		schema, ch.Name, ch.ClearPaidUntil, ch.PaidUntil, ch.OnTrial, ch.Suspended, ch.Language, ch.AnyLanguage).Scan(&p.PaidUntil, &p.OnTrial, &p.Suspended)
	if errors.Is(err, sql.ErrNoRows) {
		return Plan{}, fmt.Errorf("%w: %q (polls tenants lists them)", ErrNoSuchTenant, schema)
	}
	return p, err
}

// renameTenantRow records a tenant's new schema and role names.
func renameTenantRow(ctx context.Context, q querier, id int64, schema, role string) error {
	_, err := q.ExecContext(ctx, `UPDATE public.tenants SET schema_name = $2, role_name = NULLIF($3, '') WHERE id = $1`, id, schema, role)
	if isUniqueViolation(err) {
		return &ExistsError{Taken: SchemaTaken, Name: schema}
	}
	return err
}

// tenantRole reads a ready tenant's id and role ("" when it has none).
func tenantRole(ctx context.Context, q querier, schema string) (int64, string, error) {
	var id int64
	var role string
	err := q.QueryRowContext(ctx, `SELECT id, COALESCE(role_name, '') FROM public.tenants WHERE schema_name = $1 AND ready FOR UPDATE`, schema).Scan(&id, &role)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", fmt.Errorf("%w: %q (polls tenants lists them)", ErrNoSuchTenant, schema)
	}
	return id, role, err
}

// execer is a pgx connection or transaction: `polls migrate` keeps one
// connection per worker, outside the pool, and records each tenant's
// migration on it.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// MarkMigrating records that schema's migration begins. Committed on its
// own before the migration, so servers stop serving the tenant's old
// structure until the migration's transaction says it is done.
func MarkMigrating(ctx context.Context, ex execer, schema string) error {
	_, err := ex.Exec(ctx, `UPDATE public.tenants SET migration_state = 'migrating' WHERE schema_name = $1`, schema)
	return err
}

// RecordVersion records schema at version, idle and without error. Run in
// the migration's own transaction, it commits with the migration or not at
// all; it comes last there, as every registry change (see markReadyAs).
func RecordVersion(ctx context.Context, ex execer, schema string, version uint) error {
	_, err := ex.Exec(ctx, `UPDATE public.tenants SET schema_version = $2, migration_state = 'idle', migration_error = NULL
		WHERE schema_name = $1`, schema, int64(version))
	return err
}

// MarkFailed records that schema's migration failed, with why in one line
// (at most 1,000 characters) for `polls migrate --status`.
func MarkFailed(ctx context.Context, ex execer, schema, why string) error {
	why = strings.Join(strings.Fields(why), " ")
	if r := []rune(why); len(r) > 1000 {
		why = string(r[:1000])
	}
	_, err := ex.Exec(ctx, `UPDATE public.tenants SET migration_state = 'failed', migration_error = $2 WHERE schema_name = $1`, schema, why)
	return err
}

// RecordedAt returns the ready tenants the registry records at version (or
// past it, migrated by a newer release) and idle: the cheap first pass of
// `polls migrate`, one query for all tenants.
func RecordedAt(ctx context.Context, db *sql.DB, version uint) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT schema_name FROM public.tenants
		WHERE ready AND schema_version >= $1 AND migration_state = 'idle'`, int64(version))
	if err != nil {
		return nil, fmt.Errorf("read recorded versions: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("read recorded versions: %w", err)
		}
		out[s] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read recorded versions: %w", err)
	}
	return out, nil
}

// MigrationState is a tenant's migration as the registry records it.
type MigrationState struct {
	Schema  string
	Role    string // "" before it has one
	Version *int64 // nil: not recorded yet
	State   string // idle, migrating or failed
	Error   string // why the last migration failed, when State is failed
}

// MigrationStates returns every ready tenant's migration state, by schema.
func MigrationStates(ctx context.Context, db *sql.DB) ([]MigrationState, error) {
	rows, err := db.QueryContext(ctx, `SELECT schema_name, COALESCE(role_name, ''), schema_version, migration_state,
		COALESCE(migration_error, '') FROM public.tenants WHERE ready ORDER BY schema_name`)
	if err != nil {
		return nil, fmt.Errorf("read migration states: %w", err)
	}
	defer rows.Close()
	var out []MigrationState
	for rows.Next() {
		var m MigrationState
		if err := rows.Scan(&m.Schema, &m.Role, &m.Version, &m.State, &m.Error); err != nil {
			return nil, fmt.Errorf("read migration states: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read migration states: %w", err)
	}
	return out, nil
}
