package tenant

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// ErrRoleElsewhere is a tenant role that another database on the server also
// uses: another installation with the same tenancy.role_prefix, or one made
// before roles had a prefix per installation.
var ErrRoleElsewhere = errors.New("role used by another database")

// usedElsewhere lists the other databases where role owns objects or holds
// privileges ("the server" for shared objects such as a database it owns);
// none means dropping or renaming it touches no other installation.
// pg_shdepend is shared by every database, so this sees them all.
func usedElsewhere(ctx context.Context, q querier, role string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT DISTINCT COALESCE(db.datname, 'the server')
		FROM pg_shdepend d
		JOIN pg_roles r ON r.oid = d.refobjid AND d.refclassid = 'pg_authid'::regclass
		LEFT JOIN pg_database db ON db.oid = d.dbid
		WHERE r.rolname = $1
		  AND d.dbid <> (SELECT oid FROM pg_database WHERE datname = current_database())
		ORDER BY 1`, role)
	if err != nil {
		return nil, fmt.Errorf("where role %s is used: %w", role, err)
	}
	defer rows.Close()
	var dbs []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("where role %s is used: %w", role, err)
		}
		dbs = append(dbs, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("where role %s is used: %w", role, err)
	}
	return dbs, nil
}

// refuseShared fails when role is used by another database, saying which
// and what to do.
func refuseShared(ctx context.Context, q querier, role string) error {
	dbs, err := usedElsewhere(ctx, q, role)
	if err != nil {
		return err
	}
	if len(dbs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: role %s already exists and is used by database %s on this PostgreSQL server; "+
		"each polls database needs a tenancy.role_prefix of its own (empty derives one from the database's name): "+
		"set it in config.yaml and run `polls migrate`", ErrRoleElsewhere, role, strings.Join(dbs, ", "))
}

// dropUnlessShared drops role and whatever it still owns or may do in this
// database, unless another database uses it: then it is left to that
// database, and kept lists which.
func dropUnlessShared(ctx context.Context, q querier, role string) (kept []string, err error) {
	var exists bool
	if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`, role).Scan(&exists); err != nil || !exists {
		return nil, err // dropped by hand already: nothing to do
	}
	kept, err = usedElsewhere(ctx, q, role)
	if err != nil || len(kept) > 0 {
		return kept, err
	}
	r := pgx.Identifier{role}.Sanitize()
	for _, stmt := range []string{`DROP OWNED BY ` + r, `DROP ROLE ` + r} {
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("drop role %s: %w", role, err)
		}
	}
	return nil, nil
}
