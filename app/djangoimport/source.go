// Package djangoimport reads a database of the Django tutorial's polls app
// made multi-tenant with django-tenant-schemas or django-tenants (a tenant
// table in public, one schema per tenant) and creates one polls tenant per
// Django tenant through the tenant provisioner. It never writes to the
// Django database: every transaction it opens there is read-only.
package djangoimport

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Flavors of Django tenancy, told apart by where the domains are.
const (
	// TenantSchemas is django-tenant-schemas: one domain_url per tenant row.
	TenantSchemas = "django-tenant-schemas"
	// Tenants is django-tenants: a domain table with is_primary.
	Tenants = "django-tenants"
)

// Source is an open Django database.
type Source struct {
	conn        *pgx.Conn
	tenantTable qualified
	domainTable qualified // zero for django-tenant-schemas
	tenantCols  map[string]bool
	// Flavor is TenantSchemas or Tenants.
	Flavor string
}

// Tenant is one row of Django's tenant table, with its domains.
type Tenant struct {
	Schema    string
	Name      string
	PaidUntil *time.Time
	OnTrial   bool
	Domains   []string // as Django holds them, primary first
}

// qualified is a table name, in public unless given as schema.table.
type qualified struct{ schema, table string }

func parseTable(name string) qualified {
	if s, t, ok := strings.Cut(name, "."); ok {
		return qualified{s, t}
	}
	return qualified{"public", name}
}

func (q qualified) String() string { return q.schema + "." + q.table }

func (q qualified) sanitize() string { return pgx.Identifier{q.schema, q.table}.Sanitize() }

// Open connects to the Django database at url with every transaction
// read-only (default_transaction_read_only), finds the tenant table and
// tells which flavor made it: the domain table when it exists (django-tenants),
// else the tenant table's domain_url (django-tenant-schemas).
func Open(ctx context.Context, url, tenantTable, domainTable string) (*Source, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("--from: %w", err)
	}
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	cfg.RuntimeParams["application_name"] = "polls importdjango"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to the Django database: %w", err)
	}
	s := &Source{conn: conn, tenantTable: parseTable(tenantTable)}
	if err := s.detect(ctx, parseTable(domainTable)); err != nil {
		conn.Close(ctx)
		return nil, err
	}
	return s, nil
}

// Close disconnects.
func (s *Source) Close(ctx context.Context) { s.conn.Close(ctx) }

// detect reads the tenant table's columns and finds the domains.
func (s *Source) detect(ctx context.Context, domainTable qualified) error {
	cols, err := columns(ctx, s.conn, s.tenantTable.schema, s.tenantTable.table)
	if err != nil {
		return err
	}
	if len(cols) == 0 {
		return fmt.Errorf("the Django database has no table %s: name the tenant model's table with --tenant-table", s.tenantTable)
	}
	if !cols["schema_name"] {
		return fmt.Errorf("table %s has no column schema_name: is it the tenant model's table? (--tenant-table)", s.tenantTable)
	}
	s.tenantCols = cols
	dcols, err := columns(ctx, s.conn, domainTable.schema, domainTable.table)
	if err != nil {
		return err
	}
	switch {
	case len(dcols) > 0:
		for _, c := range []string{"domain", "tenant_id", "is_primary"} {
			if !dcols[c] {
				return fmt.Errorf("domain table %s has no column %s (django-tenants' domain model has domain, tenant_id and is_primary)", domainTable, c)
			}
		}
		if !cols["id"] {
			return fmt.Errorf("table %s has no column id, which %s.tenant_id refers to", s.tenantTable, domainTable)
		}
		s.domainTable, s.Flavor = domainTable, Tenants
	case cols["domain_url"]:
		s.Flavor = TenantSchemas
	default:
		return fmt.Errorf("no domains found: table %s has no domain_url (django-tenant-schemas) and there is no domain table %s (django-tenants; --domain-table names it)",
			s.tenantTable, domainTable)
	}
	return nil
}

// Tenants lists the rows of the tenant table, by schema name, with their
// domains, as of one moment.
func (s *Source) Tenants(ctx context.Context) ([]Tenant, error) {
	var out []Tenant
	err := s.readOnly(ctx, func(tx pgx.Tx) error {
		opt := func(col, expr, absent string) string {
			if s.tenantCols[col] {
				return expr
			}
			return absent
		}
		q := `SELECT schema_name::text, ` + opt("name", "COALESCE(name::text, '')", "''") + `, ` +
			opt("paid_until", "paid_until::date", "NULL::date") + `, ` + opt("on_trial", "COALESCE(on_trial, false)", "false") + `, ` +
			opt("domain_url", "COALESCE(domain_url::text, '')", "''") + `, ` + opt("id", "id::text", "''") +
			` FROM ` + s.tenantTable.sanitize() + ` ORDER BY schema_name`
		rows, err := tx.Query(ctx, q)
		if err != nil {
			return fmt.Errorf("read %s: %w", s.tenantTable, err)
		}
		byID := map[string]int{}
		for rows.Next() {
			var t Tenant
			var domainURL, id string
			if err := rows.Scan(&t.Schema, &t.Name, &t.PaidUntil, &t.OnTrial, &domainURL, &id); err != nil {
				rows.Close()
				return fmt.Errorf("read %s: %w", s.tenantTable, err)
			}
			if s.Flavor == TenantSchemas && domainURL != "" {
				t.Domains = []string{domainURL}
			}
			byID[id] = len(out)
			out = append(out, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read %s: %w", s.tenantTable, err)
		}
		if s.Flavor != Tenants {
			return nil
		}
		rows, err = tx.Query(ctx, `SELECT tenant_id::text, domain::text FROM `+s.domainTable.sanitize()+
			` ORDER BY tenant_id, is_primary DESC, id`)
		if err != nil {
			return fmt.Errorf("read %s: %w", s.domainTable, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, domain string
			if err := rows.Scan(&id, &domain); err != nil {
				return fmt.Errorf("read %s: %w", s.domainTable, err)
			}
			if i, ok := byID[id]; ok {
				out[i].Domains = append(out[i].Domains, domain)
			}
		}
		return rows.Err()
	})
	return out, err
}

// readOnly runs fn in one REPEATABLE READ, READ ONLY transaction: one
// snapshot of the Django database, to which nothing can be written.
func (s *Source) readOnly(ctx context.Context, fn func(pgx.Tx) error) error {
	tx, err := s.conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("read the Django database: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// queryer is a connection or a transaction.
type queryer interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// columns returns the column names of schema.table, none if it does not exist.
func columns(ctx context.Context, q queryer, schema, table string) (map[string]bool, error) {
	rows, err := q.Query(ctx, `SELECT column_name::text FROM information_schema.columns
		WHERE table_schema = $1 AND table_name = $2`, schema, table)
	if err != nil {
		return nil, fmt.Errorf("read the columns of %s.%s: %w", schema, table, err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read the columns of %s.%s: %w", schema, table, err)
	}
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out, nil
}
