package tenant

import (
	"context"
	"database/sql"
	"errors"
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
	return inTx(ctx, db, func(tx *sql.Tx) error {
		id, err := readyTenantID(ctx, tx, schema)
		if err != nil {
			return err
		}
		return insertDomain(ctx, tx, id, d, primary)
	})
}

// RemoveDomain stops routing domain. A tenant's last domain cannot be removed
// (delete the tenant instead); removing the primary makes another one primary.
func RemoveDomain(ctx context.Context, db *sql.DB, domain string) error {
	d, err := NormalizeDomain(domain)
	if err != nil {
		return err
	}
	return inTx(ctx, db, func(tx *sql.Tx) error { return deleteDomain(ctx, tx, d) })
}

// MakePrimary makes domain its tenant's primary domain (the one lists and
// links show); the others stay, as secondary ones.
func MakePrimary(ctx context.Context, db *sql.DB, domain string) error {
	d, err := NormalizeDomain(domain)
	if err != nil {
		return err
	}
	return inTx(ctx, db, func(tx *sql.Tx) error { return setPrimaryDomain(ctx, tx, d) })
}
