package tenant

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// A new tenant is built from a template, not by replaying every migration:
// replaying costs a connection, a lock and a transaction per migration, so
// creation would slow down as migrations accumulate. The template is the
// structure (and any rows) that the tenant migrations produce, read from the
// catalog of a scratch schema migrated once per set of migration files and
// recorded in public.tenant_templates (this file is that table's one home).
// Creating a tenant then runs that script in one transaction.

// Template is a recorded template.
type Template struct {
	Digest   string
	Version  uint   // the tenant migration version it is at
	SQL      string // run with search_path set to the new schema
	Unusable string // why the migrations cannot be templated; SQL is then empty
}

// Digest identifies a set of tenant migrations by its files' names and contents.
func Digest(src fs.FS) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(src, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(src, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("digest of the tenant migrations: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// LoadTemplate returns the recorded template for the migrations of digest.
func LoadTemplate(ctx context.Context, q querier, digest string) (Template, bool, error) {
	t := Template{Digest: digest}
	var unusable sql.NullString
	var version int64
	err := q.QueryRowContext(ctx, `SELECT version, ddl, unusable FROM public.tenant_templates WHERE digest = $1`, digest).
		Scan(&version, &t.SQL, &unusable)
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, nil
	}
	if err != nil {
		return t, false, fmt.Errorf("load the tenant template: %w", err)
	}
	t.Version, t.Unusable = uint(version), unusable.String
	return t, true, nil
}

// RecordTemplate makes sure the template of p's migrations is recorded, and
// returns it; recorded says whether this call made it. `polls migrate` calls
// it after a release; Create calls it when it finds none. Concurrent calls
// wait for one another, and a call killed midway leaves a scratch schema
// that the next one drops.
func (p *Provisioner) RecordTemplate(ctx context.Context) (t Template, recorded bool, err error) {
	src := p.migrations()
	digest, err := Digest(src)
	if err != nil {
		return t, false, err
	}
	conn, err := p.SQL.Conn(ctx)
	if err != nil {
		return t, false, fmt.Errorf("record the tenant template: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtext('polls.template'))`); err != nil {
		return t, false, fmt.Errorf("record the tenant template: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext('polls.template'))`)
	if t, found, err := LoadTemplate(ctx, conn, digest); err != nil || found {
		return t, false, err
	}

	scratch := "polls-template-" + digest[:12] // a name no tenant can have
	drop := `DROP SCHEMA IF EXISTS ` + pgx.Identifier{scratch}.Sanitize() + ` CASCADE`
	if _, err := conn.ExecContext(ctx, drop); err != nil {
		return t, false, fmt.Errorf("record the tenant template: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), drop)
	if _, err := conn.ExecContext(ctx, `CREATE SCHEMA `+pgx.Identifier{scratch}.Sanitize()); err != nil {
		return t, false, fmt.Errorf("record the tenant template: %w", err)
	}
	res, err := p.up(ctx, scratch, "", src, 0)
	if err != nil {
		return t, false, fmt.Errorf("record the tenant template: %w", err)
	}
	t = Template{Digest: digest, Version: res.To}
	err = inPgxTx(ctx, conn, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		script, err := templateScript(ctx, tx, scratch)
		var unsupported *UnsupportedError
		switch {
		case errors.As(err, &unsupported):
			t.Unusable = unsupported.Error()
		case err != nil:
			return err
		default:
			t.SQL = script
		}
		_, err = tx.Exec(ctx, `INSERT INTO public.tenant_templates (digest, version, ddl, unusable)
			VALUES ($1, $2, $3, NULLIF($4, '')) ON CONFLICT (digest) DO NOTHING`, t.Digest, int64(t.Version), t.SQL, t.Unusable)
		if err != nil {
			return err
		}
		// Keep the templates of recent releases, for servers not yet upgraded.
		_, err = tx.Exec(ctx, `DELETE FROM public.tenant_templates WHERE digest NOT IN
			(SELECT digest FROM public.tenant_templates ORDER BY recorded_at DESC LIMIT 10)`)
		return err
	})
	if err != nil {
		return t, false, fmt.Errorf("record the tenant template: %w", err)
	}
	return t, true, nil
}

// templateScript is the scratch schema's structure with its rows between
// the two halves, as pg_dump orders them.
func templateScript(ctx context.Context, tx pgx.Tx, scratch string) (string, error) {
	s, err := readStructure(ctx, tx, scratch)
	if err != nil {
		return "", err
	}
	var ns uint32
	if err := tx.QueryRow(ctx, `SELECT oid FROM pg_namespace WHERE nspname = $1`, scratch).Scan(&ns); err != nil {
		return "", err
	}
	rows, err := rowsAsSQL(ctx, tx, scratch, ns)
	if err != nil {
		return "", err
	}
	return joinStatements(s.PreData) + joinStatements(rows) + joinStatements(s.PostData), nil
}

// template returns the template to build a tenant from, recording it first
// if needed; ok is false when tenants must be built by their migrations.
func (p *Provisioner) template(ctx context.Context, q querier) (t Template, ok bool, err error) {
	digest, err := Digest(p.migrations())
	if err != nil {
		return t, false, err
	}
	t, found, err := LoadTemplate(ctx, q, digest)
	if err != nil {
		return t, false, err
	}
	if !found {
		if t, _, err = p.RecordTemplate(ctx); err != nil {
			return t, false, err
		}
	}
	return t, t.Unusable == "", nil
}

// actIn points the transaction at schema and, when role is not empty, acts as role.
func actIn(ctx context.Context, tx pgx.Tx, schema, role string) error {
	if _, err := tx.Exec(ctx, `SELECT set_config('search_path', $1, true)`, pgx.Identifier{schema}.Sanitize()); err != nil {
		return err
	}
	if role == "" {
		_, err := tx.Exec(ctx, `RESET ROLE`)
		return err
	}
	_, err := tx.Exec(ctx, `SET LOCAL ROLE `+pgx.Identifier{role}.Sanitize())
	return err
}

// inPgxTx runs fn in a pgx transaction on conn and commits it if fn succeeds.
func inPgxTx(ctx context.Context, conn *sql.Conn, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	return conn.Raw(func(driverConn any) error {
		pc := driverConn.(*stdlib.Conn).Conn()
		tx, err := pc.BeginTx(ctx, opts)
		if err != nil {
			return err
		}
		defer tx.Rollback(context.WithoutCancel(ctx))
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}
