package tenant

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// TableRows is one table of a tenant's schema and its exact row count.
type TableRows struct {
	Table string
	Rows  int64
}

// Contents counts the rows of every table of tenant rec (its migrations'
// bookkeeping aside), by name: what deleting it would drop. It reads in one
// READ ONLY, REPEATABLE READ transaction as the tenant's role, as Export
// does, so the counts are of one moment and it can read no other tenant.
func Contents(ctx context.Context, db *sql.DB, rec Record) ([]TableRows, error) {
	tx, err := BeginAs(ctx, db, rec.Schema, rec.Role)
	if err != nil {
		return nil, fmt.Errorf("count rows of %s: %w", rec.Schema, err)
	}
	defer tx.Rollback()
	var out []TableRows
	err = tx.conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		if _, err := pc.Exec(ctx, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`); err != nil {
			if scopeErr := tx.ScopeErr(); scopeErr != nil {
				return scopeErr
			}
			return err
		}
		tables, err := schemaTables(ctx, pc, rec.Schema)
		if err != nil {
			return err
		}
		for _, t := range tables {
			var n int64
			if err := pc.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{rec.Schema, t.Name}.Sanitize()).Scan(&n); err != nil {
				return fmt.Errorf("count %s: %w", t.Name, err)
			}
			out = append(out, TableRows{Table: t.Name, Rows: n})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count rows of %s: %w", rec.Schema, err)
	}
	return out, nil
}
