package tenant

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Structure is one schema's objects written as SQL with unqualified names, so
// it can be run in any other schema by setting search_path. It follows
// pg_dump's split: PreData makes sequences and tables (columns, defaults,
// identities), PostData adds keys, checks, indexes, views, triggers and
// comments, so rows copied in between neither fire triggers nor check keys
// row by row.
type Structure struct {
	PreData  []string
	PostData []string
}

// UnsupportedError lists objects readStructure cannot reproduce faithfully;
// whoever asked then builds the schema another way (by its migrations) or refuses.
type UnsupportedError struct {
	Schema  string
	Objects []string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("schema %s holds objects polls cannot copy: %s", e.Schema, strings.Join(e.Objects, ", "))
}

// readStructure reads schema's structure from the catalog, in tx. It sets the
// transaction's search_path to schema first, so that PostgreSQL prints the
// names of the schema's own objects unqualified; callers set it again before
// running the result elsewhere. The kinds it reads are those tenant
// migrations make; anything else is an UnsupportedError, never a silent gap.
func readStructure(ctx context.Context, tx pgx.Tx, schema string) (Structure, error) {
	var s Structure
	var ns uint32
	if err := tx.QueryRow(ctx, `SELECT oid FROM pg_namespace WHERE nspname = $1`, schema).Scan(&ns); err != nil {
		return s, fmt.Errorf("read structure of %s: %w", schema, err)
	}
	if _, err := tx.Exec(ctx, `SELECT set_config('search_path', $1, true)`, pgx.Identifier{schema}.Sanitize()); err != nil {
		return s, err
	}
	if err := refuseUnsupported(ctx, tx, schema, ns); err != nil {
		return s, err
	}
	steps := []struct {
		into  *[]string
		query string
	}{
		{&s.PreData, sequencesSQL},
		{&s.PreData, ""}, // tables, from columnsSQL
		{&s.PreData, sequenceOwnersSQL},
		{&s.PostData, constraintsSQL},
		{&s.PostData, indexesSQL},
		{&s.PostData, viewsSQL},
		{&s.PostData, triggersSQL},
		{&s.PostData, commentsSQL},
	}
	for _, st := range steps {
		var stmts []string
		var err error
		if st.query == "" {
			stmts, err = readTables(ctx, tx, ns)
		} else {
			stmts, err = collectStrings(ctx, tx, st.query, ns)
		}
		if err != nil {
			return s, fmt.Errorf("read structure of %s: %w", schema, err)
		}
		*st.into = append(*st.into, stmts...)
	}
	return s, nil
}

// SQL is the whole structure as one script.
func (s Structure) SQL() string {
	return joinStatements(append(append([]string{}, s.PreData...), s.PostData...))
}

func joinStatements(stmts []string) string {
	if len(stmts) == 0 {
		return ""
	}
	return strings.Join(stmts, ";\n") + ";\n"
}

// collectStrings runs a query of one text column over the schema's oid.
func collectStrings(ctx context.Context, tx pgx.Tx, query string, ns uint32) ([]string, error) {
	rows, err := tx.Query(ctx, query, ns)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func refuseUnsupported(ctx context.Context, tx pgx.Tx, schema string, ns uint32) error {
	found, err := collectStrings(ctx, tx, unsupportedSQL, ns)
	if err != nil {
		return fmt.Errorf("read structure of %s: %w", schema, err)
	}
	if len(found) > 0 {
		return &UnsupportedError{Schema: schema, Objects: found}
	}
	return nil
}

// readTables writes one CREATE TABLE per table, columns in their order.
func readTables(ctx context.Context, tx pgx.Tx, ns uint32) ([]string, error) {
	rows, err := tx.Query(ctx, columnsSQL, ns)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var stmts []string
	var table string
	var cols []string
	flush := func() {
		if table != "" {
			stmts = append(stmts, table+" (\n    "+strings.Join(cols, ",\n    ")+"\n)")
		}
	}
	var lastOid uint32
	for rows.Next() {
		var oid uint32
		var head, col string
		if err := rows.Scan(&oid, &head, &col); err != nil {
			return nil, err
		}
		if oid != lastOid {
			flush()
			table, cols, lastOid = head, nil, oid
		}
		if col != "" {
			cols = append(cols, col)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	flush()
	// A table without columns still has its row: cols is then empty.
	for i, st := range stmts {
		stmts[i] = strings.Replace(st, "(\n    \n)", "()", 1)
	}
	return stmts, nil
}
