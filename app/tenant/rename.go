package tenant

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Rename gives a tenant a new schema name: its schema, its role (when it has
// one) and its registry row change in one transaction, so it is served under
// the new name at once and never half-renamed. Domains, users and data are
// untouched. A new name that is invalid, taken by a tenant or by another
// schema, or being created right now, is refused and nothing changes. The role
// takes its name from roles; one that another database also uses (made before
// roles had a prefix per installation) is refused rather than renamed under
// that database's feet: `polls migrate` first gives the tenant a role of its own.
func Rename(ctx context.Context, db *sql.DB, roles Roles, from, to string) error {
	if err := ValidateSchema(to); err != nil {
		return err
	}
	if from == to {
		return fmt.Errorf("tenant %q already has that name", from)
	}
	return inTx(ctx, db, func(tx *sql.Tx) error {
		// createtenant holds this lock while it builds a schema of that name.
		var free bool
		if err := tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock(hashtext($1))`, "polls.createtenant:"+to).Scan(&free); err != nil {
			return fmt.Errorf("rename tenant %s: %w", from, err)
		}
		if !free {
			return &ExistsError{Taken: SchemaInCreation, Name: to}
		}
		if _, _, found, err := tenantRow(ctx, tx, to); err != nil || found {
			if err != nil {
				return fmt.Errorf("rename tenant %s: %w", from, err)
			}
			return &ExistsError{Taken: SchemaTaken, Name: to}
		}
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, to).Scan(&exists); err != nil {
			return fmt.Errorf("rename tenant %s: %w", from, err)
		}
		if exists {
			return &ExistsError{Taken: SchemaForeign, Name: to}
		}
		id, role, err := tenantRole(ctx, tx, from)
		if err != nil {
			return err
		}
		newRole := ""
		if role != "" {
			if roles.Prefix == "" {
				return fmt.Errorf("rename tenant %s: %w", from, errNoPrefix)
			}
			if err := refuseRenameShared(ctx, tx, from, role); err != nil {
				return err
			}
			newRole = roles.For(to)
			var taken bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`, newRole).Scan(&taken); err != nil {
				return fmt.Errorf("rename tenant %s: %w", from, err)
			}
			if taken {
				return fmt.Errorf("rename tenant %s: role %q already exists on this PostgreSQL server (another database's tenant?): choose another name", from, newRole)
			}
		}
		stmts := []string{`ALTER SCHEMA ` + pgx.Identifier{from}.Sanitize() + ` RENAME TO ` + pgx.Identifier{to}.Sanitize()}
		if role != "" {
			stmts = append(stmts, `ALTER ROLE `+pgx.Identifier{role}.Sanitize()+` RENAME TO `+pgx.Identifier{newRole}.Sanitize())
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("rename tenant %s: %w", from, err)
			}
		}
		if err := renameTenantRow(ctx, tx, id, to, newRole); err != nil {
			var exists *ExistsError
			if errors.As(err, &exists) {
				return err
			}
			return fmt.Errorf("rename tenant %s: %w", from, err)
		}
		return nil
	})
}

// refuseRenameShared refuses to rename a role that another database also
// uses: ALTER ROLE would rename it there too.
func refuseRenameShared(ctx context.Context, q querier, schema, role string) error {
	dbs, err := usedElsewhere(ctx, q, role)
	if err != nil {
		return fmt.Errorf("rename tenant %s: %w", schema, err)
	}
	if len(dbs) > 0 {
		return fmt.Errorf("rename tenant %s: %w: its role %s is also used by database %s; "+
			"run `polls migrate` first, which gives this installation's tenants roles of their own (tenancy.role_prefix)",
			schema, ErrRoleElsewhere, role, strings.Join(dbs, ", "))
	}
	return nil
}
