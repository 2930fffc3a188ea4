package dbmigrate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Registry is where each tenant's migration is recorded for the servers
// to see: implemented by the tenant registry (dbmigrate cannot import it).
type Registry interface {
	// Recorded returns the tenants recorded at version or past it, and idle.
	Recorded(ctx context.Context, version uint) (map[string]bool, error)
	// Migrating records, committed, that schema's migration begins.
	Migrating(ctx context.Context, conn *pgx.Conn, schema string) error
	// Applied records schema at version inside the migration's transaction.
	Applied(ctx context.Context, tx pgx.Tx, schema string, version uint) error
	// Failed records that schema's migration failed, and why.
	Failed(ctx context.Context, conn *pgx.Conn, schema, why string) error
}

// retireAfter is how many tenants one worker's connection migrates before
// it is replaced: a backend keeps the catalog entries of every schema it
// touched, and each invalidation (every DDL sends some) scans them.
const retireAfter = 250

// worker migrates tenants one after another on one connection of its own,
// replaced every retireAfter tenants: a connection per tenant cost a
// backend start, a login and golang-migrate's lock and version queries.
type worker struct {
	url   string
	src   fs.FS
	steps []step
	reg   Registry // nil: nothing recorded
	conn  *pgx.Conn
	used  int
	// oneByOne sends each step one statement at a time (Options.OneStatement)
	// and never hands a schema to golang-migrate, which sends a file whole.
	oneByOne bool
}

func (w *worker) close() {
	if w.conn != nil {
		w.conn.Close(context.Background())
		w.conn = nil
	}
}

// connection returns the worker's connection, opening a fresh one when
// there is none, it broke, or it has served retireAfter tenants.
func (w *worker) connection(ctx context.Context) (*pgx.Conn, error) {
	if w.conn != nil && (w.conn.IsClosed() || w.used >= retireAfter) {
		w.close()
	}
	if w.conn == nil {
		cfg, err := pgx.ParseConfig(w.url)
		if err != nil {
			return nil, fmt.Errorf("parse database url: %w", err)
		}
		// Every tenant's statements name its own tables: cache no plans.
		cfg.DefaultQueryExecMode = pgx.QueryExecModeExec
		if w.conn, err = pgx.ConnectConfig(ctx, cfg); err != nil {
			return nil, fmt.Errorf("connect: %w", err)
		}
		w.used = 0
	}
	w.used++
	return w.conn, nil
}

// migrate brings one tenant to the last step, recording in the registry
// that it begins, then each step with the step, or the failure.
func (w *worker) migrate(ctx context.Context, t Target) (Result, error) {
	res := Result{Schema: t.Schema}
	conn, err := w.connection(ctx)
	if err != nil {
		return res, fmt.Errorf("migrate %s: %w", t.Schema, err)
	}
	start := time.Now()
	if w.reg != nil {
		if err := w.reg.Migrating(ctx, conn, t.Schema); err != nil {
			return res, fmt.Errorf("migrate %s: record start: %w", t.Schema, err)
		}
	}
	res, err = w.apply(ctx, conn, t)
	res.Took = time.Since(start)
	if err != nil && w.reg != nil {
		rctx := context.WithoutCancel(ctx)
		if conn.IsClosed() {
			var cerr error
			if conn, cerr = w.connection(rctx); cerr != nil {
				return res, errors.Join(err, fmt.Errorf("migrate %s: record the failure: %w", t.Schema, cerr))
			}
		}
		if rerr := w.reg.Failed(rctx, conn, t.Schema, err.Error()); rerr != nil {
			err = errors.Join(err, fmt.Errorf("migrate %s: record the failure: %w", t.Schema, rerr))
		}
	}
	return res, err
}

// apply runs each pending step in a transaction of its own that also sets
// golang-migrate's version row (locked first, so two runs never apply a
// step twice) and records the version in the registry. A schema this
// cannot handle (no version row, a dirty one, a step that is not one
// transaction) goes to golang-migrate, as before.
func (w *worker) apply(ctx context.Context, conn *pgx.Conn, t Target) (Result, error) {
	res := Result{Schema: t.Schema}
	if w.oneByOne {
		if err := ensureVersionTable(ctx, conn, t); err != nil {
			return res, fmt.Errorf("migrate %s: %w", t.Schema, err)
		}
	}
	first := true
	for {
		v, next, more, err := w.applyNext(ctx, conn, t)
		if errors.Is(err, errFallback) {
			return w.fallback(ctx, conn, t, res, first)
		}
		if first {
			res.From, first = v, false
		}
		if err != nil {
			res.To = v
			return res, fmt.Errorf("migrate %s: %w", t.Schema, err)
		}
		res.To = next
		if !more {
			return res, nil
		}
	}
}

// errFallback says a schema is left to golang-migrate.
var errFallback = errors.New("not for the runner")

// applyNext applies the step after the schema's version, if any, and
// returns the version before and after it and whether it applied one.
func (w *worker) applyNext(ctx context.Context, conn *pgx.Conn, t Target) (from, to uint, applied bool, err error) {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, 0, false, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	table := pgx.Identifier{t.Schema, "schema_migrations"}.Sanitize()
	if _, err := tx.Exec(ctx, `SELECT set_config('search_path', $1, true)`, pgx.Identifier{t.Schema}.Sanitize()); err != nil {
		return 0, 0, false, err
	}
	if t.Role != "" {
		if _, err := tx.Exec(ctx, `SET LOCAL ROLE `+pgx.Identifier{t.Role}.Sanitize()); err != nil {
			return 0, 0, false, err
		}
	}
	if w.oneByOne {
		// The version table may have no row to lock yet: two runs on a new
		// schema wait for each other here instead.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('polls.migrate:' || $1))`, t.Schema); err != nil {
			return 0, 0, false, err
		}
	}
	var version int64
	var dirty bool
	err = tx.QueryRow(ctx, `SELECT version, dirty FROM `+table+` FOR UPDATE`).Scan(&version, &dirty)
	var pgErr *pgconn.PgError
	noRow := errors.Is(err, pgx.ErrNoRows)
	switch {
	case w.oneByOne && noRow:
		version, err = 0, nil // a new schema: every step is pending
	case w.oneByOne && err == nil && (dirty || version < 0):
		return 0, 0, false, fmt.Errorf("version %d is dirty: check the schema, then `polls migrate --schema %s --force VERSION`", version, t.Schema)
	}
	switch {
	case errors.Is(err, pgx.ErrNoRows), errors.As(err, &pgErr) && pgErr.Code == "42P01":
		return 0, 0, false, errFallback // no version yet, or no table: golang-migrate makes it
	case err != nil:
		return 0, 0, false, err
	case dirty || version < 0:
		return 0, 0, false, errFallback
	}
	from = uint(version)
	s, ok := after(w.steps, from)
	if ok && s.own && w.oneByOne {
		return from, from, false, fmt.Errorf("%s: cannot be applied one statement at a time in a transaction (it has its own transactions, or a statement that refuses one), as Citus needs", s.name)
	}
	if ok && s.own {
		return from, from, false, errFallback
	}
	if ok {
		if err := w.exec(ctx, tx, s); err != nil {
			return from, from, false, err
		}
		set := `UPDATE ` + table + ` SET version = $1, dirty = false`
		if noRow {
			set = `INSERT INTO ` + table + ` (version, dirty) VALUES ($1, false)`
		}
		if _, err := tx.Exec(ctx, set, int64(s.version)); err != nil {
			return from, from, false, err
		}
		to = s.version
	} else {
		to = from
	}
	if t.Role != "" {
		if _, err := tx.Exec(ctx, `RESET ROLE`); err != nil {
			return from, from, false, err
		}
	}
	if w.reg != nil {
		if err := w.reg.Applied(ctx, tx, t.Schema, to); err != nil {
			return from, from, false, fmt.Errorf("record version %d: %w", to, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return from, from, false, err
	}
	return from, to, ok, nil
}

// exec runs step s in tx: whole, or one statement at a time.
func (w *worker) exec(ctx context.Context, tx pgx.Tx, s step) error {
	if !w.oneByOne {
		if _, err := tx.Exec(ctx, s.body); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		return nil
	}
	for _, st := range Split(s.body) {
		if _, err := tx.Exec(ctx, st); err != nil {
			return fmt.Errorf("%s: %w (in: %s)", s.name, err, firstLine(st))
		}
	}
	return nil
}

// firstLine is the start of a statement, to say which one failed.
func firstLine(st string) string {
	if i := strings.IndexByte(st, '\n'); i >= 0 {
		return st[:i] + " ..."
	}
	return st
}

// ensureVersionTable creates t's version table as golang-migrate lays it
// out, when it is missing, acting as t's role so the tenant owns it.
func ensureVersionTable(ctx context.Context, conn *pgx.Conn, t Target) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if t.Role != "" {
			if _, err := tx.Exec(ctx, `SET LOCAL ROLE `+pgx.Identifier{t.Role}.Sanitize()); err != nil {
				return err
			}
		}
		table := pgx.Identifier{t.Schema, "schema_migrations"}.Sanitize()
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+table+` (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)`)
		if err != nil {
			return fmt.Errorf("create its version table: %w", err)
		}
		return nil
	})
}

// fallback migrates t with golang-migrate and then records its version.
func (w *worker) fallback(ctx context.Context, conn *pgx.Conn, t Target, res Result, first bool) (Result, error) {
	r, err := UpAs(ctx, w.url, t.Schema, t.Role, w.src)
	if first {
		res.From = r.From
	}
	res.To = r.To
	if err != nil {
		return res, err
	}
	if w.reg == nil {
		return res, nil
	}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error { return w.reg.Applied(ctx, tx, t.Schema, r.To) })
	if err != nil {
		return res, fmt.Errorf("migrate %s: record version %d: %w", t.Schema, r.To, err)
	}
	return res, nil
}
