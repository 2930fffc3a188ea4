package tenant

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrNoSuchDomain is returned for a domain no tenant has.
var ErrNoSuchDomain = errors.New("no such domain")

// AddDomain routes domain to the tenant with schema too; primary makes it the
// tenant's primary domain (the one lists and links show). Every server sees the
// change within moments (registry triggers NOTIFY them).
func AddDomain(ctx context.Context, db *sql.DB, schema, domain string, primary bool) error {
	d, err := NormalizeDomain(domain)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM public.tenants WHERE schema_name = $1 AND ready`, schema).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %q (polls tenants lists them)", ErrNoSuchTenant, schema)
	}
	if err != nil {
		return err
	}
	if primary {
		if _, err := tx.ExecContext(ctx, `UPDATE public.domains SET is_primary = false WHERE tenant_id = $1`, id); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO public.domains (domain, tenant_id, is_primary) VALUES ($1, $2, $3)`, d, id, primary)
	if isUniqueViolation(err) {
		return &ExistsError{Taken: DomainTaken, Name: d}
	}
	if err != nil {
		return err
	}
	return tx.Commit()
}

// RemoveDomain stops routing domain. A tenant's last domain cannot be removed
// (delete the tenant instead); removing the primary makes another one primary.
func RemoveDomain(ctx context.Context, db *sql.DB, domain string) error {
	d, err := NormalizeDomain(domain)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var tenantID int64
	var primary bool
	err = tx.QueryRowContext(ctx, `SELECT tenant_id, is_primary FROM public.domains WHERE domain = $1 FOR UPDATE`, d).Scan(&tenantID, &primary)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %q", ErrNoSuchDomain, d)
	}
	if err != nil {
		return err
	}
	var others int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM public.domains WHERE tenant_id = $1 AND domain <> $2`, tenantID, d).Scan(&others); err != nil {
		return err
	}
	if others == 0 {
		return fmt.Errorf("domain %q is its tenant's only domain: add another first, or delete the tenant", d)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM public.domains WHERE domain = $1`, d); err != nil {
		return err
	}
	if primary {
		if _, err := tx.ExecContext(ctx, `UPDATE public.domains SET is_primary = true
			WHERE id = (SELECT min(id) FROM public.domains WHERE tenant_id = $1)`, tenantID); err != nil {
			return err
		}
	}
	return tx.Commit()
}
