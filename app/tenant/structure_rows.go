package tenant

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// tableColumns is a table and the columns a copy of its rows writes.
type tableColumns struct {
	table, columns string // columns: quoted and comma-separated
}

func readTableColumns(ctx context.Context, tx pgx.Tx, ns uint32) ([]tableColumns, error) {
	rows, err := tx.Query(ctx, tableColumnsSQL, ns)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (tableColumns, error) {
		var tc tableColumns
		return tc, r.Scan(&tc.table, &tc.columns)
	})
}

// rowsAsSQL writes the rows of schema (oid ns) and the positions of its
// sequences as statements with literal values, to be run with search_path
// set to another schema: the rows a template's migrations inserted, which a
// tenant built by those migrations would have too.
func rowsAsSQL(ctx context.Context, tx pgx.Tx, schema string, ns uint32) ([]string, error) {
	tables, err := readTableColumns(ctx, tx, ns)
	if err != nil {
		return nil, err
	}
	var stmts []string
	for _, tc := range tables {
		var literal *string
		q := `SELECT quote_literal(json_agg(r)::text) FROM ` + pgx.Identifier{schema, tc.table}.Sanitize() + ` r`
		if err := tx.QueryRow(ctx, q).Scan(&literal); err != nil {
			return nil, fmt.Errorf("rows of %s: %w", tc.table, err)
		}
		if literal == nil {
			continue
		}
		t := pgx.Identifier{tc.table}.Sanitize()
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM json_populate_recordset(NULL::%s, %s)`,
			t, tc.columns, tc.columns, t, *literal))
	}
	seqs, err := sequencePositions(ctx, tx, schema, ns)
	if err != nil {
		return nil, err
	}
	for _, s := range seqs {
		stmts = append(stmts, fmt.Sprintf(`SELECT setval('%s', %d, true)`, strings.ReplaceAll(pgx.Identifier{s.name}.Sanitize(), "'", "''"), s.last))
	}
	return stmts, nil
}

// copyRows copies every table's rows and every used sequence's position
// from one schema to another of the same structure, in tx (whose snapshot
// makes the copy consistent).
func copyRows(ctx context.Context, tx pgx.Tx, from string, fromNS uint32, to string) error {
	tables, err := readTableColumns(ctx, tx, fromNS)
	if err != nil {
		return err
	}
	for _, tc := range tables {
		q := fmt.Sprintf(`INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM %s`,
			pgx.Identifier{to, tc.table}.Sanitize(), tc.columns, tc.columns, pgx.Identifier{from, tc.table}.Sanitize())
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("copy rows of %s: %w", tc.table, err)
		}
	}
	seqs, err := sequencePositions(ctx, tx, from, fromNS)
	if err != nil {
		return err
	}
	for _, s := range seqs {
		if _, err := tx.Exec(ctx, `SELECT setval($1::regclass, $2, true)`, pgx.Identifier{to, s.name}.Sanitize(), s.last); err != nil {
			return fmt.Errorf("advance sequence %s: %w", s.name, err)
		}
	}
	return nil
}

type sequencePosition struct {
	name string
	last int64
}

// sequencePositions returns the sequences that have handed out a value, and
// the last one each gave.
func sequencePositions(ctx context.Context, tx pgx.Tx, schema string, ns uint32) ([]sequencePosition, error) {
	rows, err := tx.Query(ctx, sequenceNamesSQL, ns)
	if err != nil {
		return nil, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	var out []sequencePosition
	for _, n := range names {
		var last int64
		var called bool
		if err := tx.QueryRow(ctx, `SELECT last_value, is_called FROM `+pgx.Identifier{schema, n}.Sanitize()).Scan(&last, &called); err != nil {
			return nil, fmt.Errorf("position of sequence %s: %w", n, err)
		}
		if called {
			out = append(out, sequencePosition{name: n, last: last})
		}
	}
	return out, nil
}
