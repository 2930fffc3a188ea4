package dbmigrate

import (
	"context"
	"fmt"
	"io/fs"
	"slices"

	"github.com/jackc/pgx/v5"

	"polls/migrations"
)

// Force records t at version, clean, in golang-migrate's table and in reg
// (when not nil), in one transaction: after a human has checked that the
// schema matches that version, a dirty tenant migrates again. src nil means
// the embedded tenant migrations; version must be one of them.
func Force(ctx context.Context, url string, t Target, src fs.FS, version uint, reg Registry) error {
	if src == nil {
		src = migrations.Tenant()
	}
	vs, err := Versions(src)
	if err != nil {
		return err
	}
	if !slices.Contains(vs, version) {
		return fmt.Errorf("force %s: version %d is not a tenant migration (they are %v)", t.Schema, version, vs)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("force %s: connect: %w", t.Schema, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	table := pgx.Identifier{t.Schema, "schema_migrations"}.Sanitize()
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if t.Role != "" {
			if _, err := tx.Exec(ctx, `SET LOCAL ROLE `+pgx.Identifier{t.Role}.Sanitize()); err != nil {
				return err
			}
		}
		tag, err := tx.Exec(ctx, `UPDATE `+table+` SET version = $1, dirty = false`, int64(version))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO `+table+` (version, dirty) VALUES ($1, false)`, int64(version)); err != nil {
				return err
			}
		}
		if t.Role != "" {
			if _, err := tx.Exec(ctx, `RESET ROLE`); err != nil {
				return err
			}
		}
		if reg == nil {
			return nil
		}
		return reg.Applied(ctx, tx, t.Schema, version)
	})
	if err != nil {
		return fmt.Errorf("force %s to version %d: %w", t.Schema, version, err)
	}
	return nil
}
