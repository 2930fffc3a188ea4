package tenant

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// RoleMove is what MoveRole did to one tenant.
type RoleMove struct {
	From, To string   // the role before and after; equal when nothing moved
	Kept     []string // the databases that still use From, which was therefore not dropped
}

// Moved reports whether the tenant changed role.
func (m RoleMove) Moved() bool { return m.From != m.To }

// MoveRole gives the tenant of schema the role roles names for it, when the
// registry records another (made before tenancy.role_prefix, or under
// another prefix): it creates the new role, hands it everything the old one
// owns in this database (REASSIGN OWNED acts on the current database only,
// so a role shared with another database keeps what it owns there), records
// it, and drops the old role unless another database still uses it. All in
// one transaction: a failure leaves the tenant as it was. A tenant without a
// role (search_path mode) is EnsureRole's.
func MoveRole(ctx context.Context, db *sql.DB, roles Roles, schema string) (RoleMove, error) {
	if roles.Prefix == "" {
		return RoleMove{}, errNoPrefix
	}
	var move RoleMove
	err := inTx(ctx, db, func(tx *sql.Tx) error {
		_, from, err := tenantRole(ctx, tx, schema)
		if err != nil {
			return err
		}
		to := roles.For(schema)
		move = RoleMove{From: from, To: from}
		if from == "" || from == to {
			return nil
		}
		if err := createRole(ctx, tx, to, roles.Login); err != nil {
			return err
		}
		stmt := `REASSIGN OWNED BY ` + pgx.Identifier{from}.Sanitize() + ` TO ` + pgx.Identifier{to}.Sanitize()
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("hand %s's objects to %s: %w", from, to, err)
		}
		if err := setRole(ctx, tx, schema, to); err != nil {
			return fmt.Errorf("record role %s: %w", to, err)
		}
		kept, err := dropUnlessShared(ctx, tx, from)
		if err != nil {
			return err
		}
		move = RoleMove{From: from, To: to, Kept: kept}
		return nil
	})
	if err != nil {
		return RoleMove{}, fmt.Errorf("move the role of tenant %s: %w", schema, err)
	}
	return move, nil
}
