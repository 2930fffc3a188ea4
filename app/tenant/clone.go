package tenant

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ErrCloneOnCitus refuses a clone on a Citus coordinator: the copied
// structure sets sequence ownership with ALTER SEQUENCE ... OWNED BY, which
// Citus refuses on a distributed sequence.
var ErrCloneOnCitus = errors.New("cloning a tenant is not supported on a Citus coordinator (Citus refuses the copy's ALTER SEQUENCE ... OWNED BY): " +
	"`polls exporttenant` then `polls importtenant` under the new name copies it there")

// Clone creates the tenant nt with the structure of the tenant whose schema
// is from (what its catalog holds, not what the migrations say: an index
// added by hand comes along), and with withRows its rows too, sequences
// advanced past them. It is Create in every other way: its own role, all or
// nothing, never served half-built.
func (p *Provisioner) Clone(ctx context.Context, from string, nt NewTenant, withRows bool) error {
	if p.OneStatement {
		return fmt.Errorf("clone tenant %s: %w", from, ErrCloneOnCitus)
	}
	_, err := readyTenantID(ctx, p.SQL, from)
	if err != nil {
		return fmt.Errorf("clone tenant %s: %w", from, err)
	}
	if nt.Schema == from {
		return fmt.Errorf("clone tenant %s: the clone needs a schema name of its own", from)
	}
	if nt.Language.Own == "" { // a clone speaks as its original does
		if nt.Language, err = tenantLanguage(ctx, p.SQL, from); err != nil {
			return fmt.Errorf("clone tenant %s: %w", from, err)
		}
	}
	nt.Version, nt.cloneFrom, nt.cloneRows = 0, from, withRows
	return p.Create(ctx, nt)
}

// cloneInto copies from's structure (and rows) into the empty schema to, in
// one repeatable-read transaction that first locks from's tables against
// changes of structure (a migration), so that what is read and what is
// copied agree. Reading and writing rows run as the provisioning user, who
// may read the source; the structure is made as role, who then owns it.
func cloneInto(ctx context.Context, conn *sql.Conn, from, to, role string, withRows bool) error {
	var ns uint32
	var tables sql.NullString
	err := conn.QueryRowContext(ctx, `SELECT n.oid, string_agg(format('%I.%I', n.nspname, c.relname), ', ')
		FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind = 'r'
		WHERE n.nspname = $1 GROUP BY n.oid`, from).Scan(&ns, &tables)
	if err != nil {
		return fmt.Errorf("clone %s: %w", from, err)
	}
	return inPgxTx(ctx, conn, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		if tables.Valid { // before any query, so the snapshot comes after the lock
			if _, err := tx.Exec(ctx, `LOCK TABLE `+tables.String+` IN ACCESS SHARE MODE`); err != nil {
				return fmt.Errorf("clone %s: %w", from, err)
			}
		}
		s, err := readStructure(ctx, tx, from)
		if err != nil {
			return fmt.Errorf("clone %s: %w", from, err)
		}
		if err := execIn(ctx, tx, to, role, s.PreData); err != nil {
			return fmt.Errorf("clone %s: %w", from, err)
		}
		if err := actIn(ctx, tx, to, ""); err != nil {
			return err
		}
		if withRows {
			err = copyRows(ctx, tx, from, ns, to)
		} else {
			err = copyVersion(ctx, tx, from, to)
		}
		if err != nil {
			return fmt.Errorf("clone %s: %w", from, err)
		}
		if err := execIn(ctx, tx, to, role, s.PostData); err != nil {
			return fmt.Errorf("clone %s: %w", from, err)
		}
		return nil
	})
}

// execIn runs stmts in schema as role, in one round trip.
func execIn(ctx context.Context, tx pgx.Tx, schema, role string, stmts []string) error {
	if err := actIn(ctx, tx, schema, role); err != nil {
		return err
	}
	if len(stmts) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, joinStatements(stmts))
	return err
}

// copyVersion carries the migration version over, so that the clone is
// migrated from where its source was.
func copyVersion(ctx context.Context, tx pgx.Tx, from, to string) error {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, pgx.Identifier{from, "schema_migrations"}.Sanitize()).Scan(&exists); err != nil || !exists {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+pgx.Identifier{to, "schema_migrations"}.Sanitize()+
		` SELECT * FROM `+pgx.Identifier{from, "schema_migrations"}.Sanitize())
	return err
}
