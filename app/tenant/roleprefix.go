package tenant

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
)

// Roles names the roles of one installation's tenants. PostgreSQL roles
// belong to the whole server while schemas live in one database, so every
// installation (one polls database) needs a prefix of its own: two databases
// on one server that both have a tenant "client1" must not share its role,
// or creating, renaming or deleting it in one would reach into the other.
type Roles struct {
	// Prefix begins every role name: tenancy.role_prefix, or derived from
	// the database's name (ResolveRoles).
	Prefix string
	// Login makes the tenant roles able to log in. Citus needs it: it opens
	// its connections to the workers as the current user, which after SET
	// ROLE is the tenant's role (citusdata/citus issue 7719). The workers'
	// pg_hba.conf then lets these roles in from the coordinator only (README,
	// "Scaling out"); `polls migrate` turns it on for existing roles.
	Login bool
}

// errNoPrefix is a Roles left zero: a role named by the bare schema could
// collide with any role on the server.
var errNoPrefix = errors.New("tenant roles have no prefix (resolve them with tenant.ResolveRoles)")

// For names the role that owns schema. A name past PostgreSQL's 63
// characters keeps its start and ends in a hash of the whole schema name, so
// two long names that differ only at the end still get two roles.
func (r Roles) For(schema string) string {
	if len(r.Prefix)+len(schema) <= 63 {
		return r.Prefix + schema
	}
	sum := sha256.Sum256([]byte(schema))
	return r.Prefix + schema[:63-len(r.Prefix)-9] + "_" + hex.EncodeToString(sum[:4])
}

// ResolveRoles returns the roles of the installation db is: with the
// configured prefix (tenancy.role_prefix, already validated), or when it is
// empty with "polls_" and 6 hex digits of the SHA-256 of the database's name,
// as long as the "polls_tenant_" that all installations once shared. A copy of
// production restored on the same server under another name gets its own.
func ResolveRoles(ctx context.Context, db *sql.DB, configured string) (Roles, error) {
	if configured != "" {
		return Roles{Prefix: configured}, nil
	}
	var name string
	if err := db.QueryRowContext(ctx, `SELECT current_database()`).Scan(&name); err != nil {
		return Roles{}, fmt.Errorf("derive the tenant role prefix: %w", err)
	}
	return Roles{Prefix: DerivedRolePrefix(name)}, nil
}

// DerivedRolePrefix is the prefix of the database named database when
// tenancy.role_prefix is empty.
func DerivedRolePrefix(database string) string {
	sum := sha256.Sum256([]byte(database))
	return "polls_" + hex.EncodeToString(sum[:])[:6] + "_"
}
