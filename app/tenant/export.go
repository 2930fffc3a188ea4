package tenant

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// exportSettings make COPY's text the same whatever the server's or the
// role's defaults: ISO dates, UTC, exact floats, hex bytea.
const exportSettings = `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;
	SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; SET LOCAL TimeZone = 'UTC';
	SET LOCAL extra_float_digits = 3; SET LOCAL bytea_output = 'hex'`

// Export writes tenant rec as an archive to w (see archive.go). Everything is
// read in one REPEATABLE READ, READ ONLY transaction acting as the tenant's
// role (when it has one), so the archive is one moment of the tenant and the
// export can read no other tenant. Each table is spooled to a temporary file
// first: a tar entry needs its size before its bytes, and the manifest with
// every row count comes first. An error leaves w with a partial archive: the
// caller writes to a file it renames only on success.
func Export(ctx context.Context, db *sql.DB, rec Record, w io.Writer) (Manifest, error) {
	m := Manifest{Format: ArchiveFormat, FormatVersion: ArchiveFormatVersion,
		ExportedAt: time.Now().UTC().Truncate(time.Second), Tenant: archiveRecord(rec)}
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	tx, err := BeginAs(ctx, db, rec.Schema, rec.Role)
	if err != nil {
		return m, fmt.Errorf("export %s: %w", rec.Schema, err)
	}
	defer tx.Rollback()
	err = tx.conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		if _, err := pc.PgConn().Exec(ctx, exportSettings).ReadAll(); err != nil {
			if scopeErr := tx.ScopeErr(); scopeErr != nil {
				return scopeErr // the query only says the transaction is aborted
			}
			return err
		}
		var err error
		if m.SchemaVersion, err = migrationVersion(ctx, pc, rec.Schema); err != nil {
			return err
		}
		if m.Sequences, err = schemaSequences(ctx, pc, rec.Schema); err != nil {
			return err
		}
		m.Tables, files, err = copyTables(ctx, pc, rec.Schema)
		return err
	})
	if err != nil {
		return m, fmt.Errorf("export %s: %w", rec.Schema, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return m, fmt.Errorf("export %s: %w", rec.Schema, err)
	}
	if err := writeArchive(w, m, files); err != nil {
		return m, fmt.Errorf("export %s: write archive: %w", rec.Schema, err)
	}
	return m, nil
}

// migrationVersion reads the schema's tenant migration version; a schema
// whose last migration failed midway is refused.
func migrationVersion(ctx context.Context, q pgxQuerier, schema string) (uint, error) {
	rows, err := q.Query(ctx, `SELECT version, dirty FROM `+pgx.Identifier{schema, migrationsTable}.Sanitize())
	if err != nil {
		return 0, fmt.Errorf("read migration version: %w", err)
	}
	var version int64
	var dirty bool
	tag, err := pgx.ForEachRow(rows, []any{&version, &dirty}, func() error { return nil })
	switch {
	case err != nil:
		return 0, fmt.Errorf("read migration version: %w", err)
	case tag.RowsAffected() == 0 || version <= 0:
		return 0, fmt.Errorf("schema %s has no tenant migrations applied", schema)
	case dirty:
		return 0, fmt.Errorf("schema %s stopped midway through migration %d: run `polls migrate --schema %s` first", schema, version, schema)
	}
	return uint(version), nil
}

// copyTables spools every table's rows, in load order, to temporary files.
func copyTables(ctx context.Context, pc *pgx.Conn, schema string) ([]ArchivedTable, []*os.File, error) {
	tables, err := schemaTables(ctx, pc, schema)
	if err != nil {
		return nil, nil, err
	}
	if tables, err = loadOrder(tables); err != nil {
		return nil, nil, err
	}
	out := make([]ArchivedTable, 0, len(tables))
	files := make([]*os.File, 0, len(tables))
	for _, t := range tables {
		f, err := os.CreateTemp("", "polls-export-*.csv")
		if err != nil {
			return nil, files, err
		}
		files = append(files, f)
		cols := quoteColumns(t.Columns)
		q := `COPY (SELECT ` + cols + ` FROM ` + pgx.Identifier{schema, t.Name}.Sanitize() + `) TO STDOUT WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')`
		tag, err := pc.PgConn().CopyTo(ctx, f, q)
		if err != nil {
			return nil, files, fmt.Errorf("copy %s: %w", t.Name, err)
		}
		out = append(out, ArchivedTable{Name: t.Name, Columns: t.Columns, Rows: tag.RowsAffected(), File: tableFile(t.Name)})
	}
	return out, files, nil
}

// quoteColumns is a column list for SQL.
func quoteColumns(cols []string) string {
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = pgx.Identifier{c}.Sanitize()
	}
	return strings.Join(quoted, ", ")
}
