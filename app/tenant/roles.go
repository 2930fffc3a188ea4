package tenant

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Isolation is how strongly tenants are kept apart.
type Isolation string

const (
	// IsolationRoles: each schema is owned by its own role (NOLOGIN but under
	// Citus, Roles.Login), and every
	// tenant transaction runs as that role, so PostgreSQL refuses any access to
	// another tenant's schema or to the registry. The default.
	IsolationRoles Isolation = "roles"
	// IsolationSearchPath: only the search_path separates tenants, as in
	// django-tenants. For databases where polls may not create roles.
	IsolationSearchPath Isolation = "search_path"
)

// ErrCannotCreateRoles is returned when roles isolation is asked of a database
// user without the privilege it needs.
var ErrCannotCreateRoles = errors.New("cannot create roles")

// CheckCanCreateRoles reports whether the connected user may create tenant
// roles (it needs CREATEROLE, or to be a superuser), with a message that says
// how to grant it or how to choose the weaker mode on purpose.
func CheckCanCreateRoles(ctx context.Context, db *sql.DB) error {
	var user string
	var ok bool
	err := db.QueryRowContext(ctx, `SELECT current_user, rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user`).Scan(&user, &ok)
	if err != nil {
		return fmt.Errorf("check role privileges: %w", err)
	}
	if !ok {
		return fmt.Errorf("%w: database user %q lacks the CREATEROLE privilege that tenant isolation by PostgreSQL roles needs; "+
			"grant it as a superuser with `ALTER ROLE %s CREATEROLE;`, or set `tenancy: {isolation: search_path}` in config.yaml "+
			"to run with search_path-only isolation", ErrCannotCreateRoles, user, pgx.Identifier{user}.Sanitize())
	}
	return nil
}

// EnsureRole makes schema owned by its tenant role, creating the role if
// needed and handing it every table, view and sequence already in the schema
// (tenants created before roles existed), then records it in the registry.
// It returns the role's name. A role of that name already used by another
// database is refused (ErrRoleElsewhere): sharing it would let this
// installation rename or drop what the other one serves. One with nothing
// elsewhere is the leftover of a create killed midway, and is taken.
func EnsureRole(ctx context.Context, db *sql.DB, roles Roles, schema string) (string, error) {
	return ensureRole(ctx, db, roles, schema, true)
}

// ensureRole is EnsureRole; reassign false skips handing over existing
// objects, for a schema just created empty (the search for them reads all
// of pg_class, which grows with every tenant).
func ensureRole(ctx context.Context, db *sql.DB, roles Roles, schema string, reassign bool) (string, error) {
	if roles.Prefix == "" {
		return "", errNoPrefix
	}
	role := roles.For(schema)
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	if err := createRole(ctx, tx, role, roles.Login); err != nil {
		return "", fmt.Errorf("tenant role for %s: %w", schema, err)
	}
	q := `ALTER SCHEMA ` + pgx.Identifier{schema}.Sanitize() + ` OWNER TO ` + pgx.Identifier{role}.Sanitize()
	if _, err := tx.ExecContext(ctx, q); err != nil {
		return "", fmt.Errorf("tenant role for %s: %s: %w", schema, q, err)
	}
	if reassign {
		if err := reassignObjects(ctx, tx, schema, pgx.Identifier{role}.Sanitize()); err != nil {
			return "", err
		}
	}
	if err := setRole(ctx, tx, schema, role); err != nil {
		return "", err
	}
	return role, tx.Commit()
}

// createRole creates a tenant role in tx and lets the current user act as it;
// login makes it able to log in (Roles.Login).
// A role of that name used only in this database is the leftover of a create
// killed midway, and is taken; one used by another database is refused.
func createRole(ctx context.Context, tx *sql.Tx, role string, login bool) error {
	// Serialise role creation across processes: CREATE ROLE has no IF NOT EXISTS.
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('polls.role:' || $1))`, role); err != nil {
		return err
	}
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`, role).Scan(&exists); err != nil {
		return err
	}
	r := pgx.Identifier{role}.Sanitize()
	switch {
	case exists:
		if err := refuseShared(ctx, tx, role); err != nil {
			return err
		}
		if login { // a leftover, maybe made before Citus
			if _, err := tx.ExecContext(ctx, `ALTER ROLE `+r+` LOGIN`); err != nil {
				return fmt.Errorf("let role %s log in: %w", role, err)
			}
		}
	default:
		if _, err := tx.ExecContext(ctx, `CREATE ROLE `+r+` `+loginClause(login)+` NOINHERIT`); err != nil {
			return fmt.Errorf("create role %s: %w", role, err)
		}
	}
	return grantTo(ctx, tx, role)
}

func loginClause(login bool) string {
	if login {
		return "LOGIN"
	}
	return "NOLOGIN"
}

// grantTo lets the current user act as role.
func grantTo(ctx context.Context, tx *sql.Tx, role string) error {
	r := pgx.Identifier{role}.Sanitize()
	if _, err := tx.ExecContext(ctx, `GRANT `+r+` TO CURRENT_USER`); err != nil {
		return fmt.Errorf("grant role %s: %w", role, err)
	}
	return nil
}

// reassignObjects hands the schema's relations to role. Sequences owned by a
// table follow the table; indexes always do.
func reassignObjects(ctx context.Context, tx *sql.Tx, schema, role string) error {
	rows, err := tx.QueryContext(ctx, `
		SELECT c.relname, c.relkind FROM pg_class c
		WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
		  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
		                  AND d.objid = c.oid AND d.deptype IN ('a', 'i') AND c.relkind = 'S')`,
		pgx.Identifier{schema}.Sanitize())
	if err != nil {
		return fmt.Errorf("list objects of %s: %w", schema, err)
	}
	type rel struct{ name, kind string }
	var rels []rel
	for rows.Next() {
		var r rel
		if err := rows.Scan(&r.name, &r.kind); err != nil {
			rows.Close()
			return err
		}
		rels = append(rels, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range rels {
		kind := map[string]string{"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE", "f": "FOREIGN TABLE"}[r.kind]
		q := `ALTER ` + kind + ` ` + pgx.Identifier{schema, r.name}.Sanitize() + ` OWNER TO ` + role
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("hand %s to its tenant role: %w", r.name, err)
		}
	}
	return nil
}

// AllowLogin lets a tenant role created NOLOGIN (before the database was a
// Citus coordinator) log in, as Roles.Login asks; changed says whether it
// had to. Citus propagates the ALTER ROLE to the workers.
func AllowLogin(ctx context.Context, db *sql.DB, role string) (changed bool, err error) {
	var can bool
	if err := db.QueryRowContext(ctx, `SELECT rolcanlogin FROM pg_roles WHERE rolname = $1`, role).Scan(&can); err != nil {
		return false, fmt.Errorf("role %s: %w", role, err)
	}
	if can {
		return false, nil
	}
	if _, err := db.ExecContext(ctx, `ALTER ROLE `+pgx.Identifier{role}.Sanitize()+` LOGIN`); err != nil {
		return false, fmt.Errorf("let role %s log in: %w", role, err)
	}
	return true, nil
}
