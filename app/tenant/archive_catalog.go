package tenant

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
)

// What an archive carries of a schema, read from pg_catalog: the same
// questions on export (what is there to write) and on import (what may the
// new schema take), so both sides agree on what a table is.

// pgxQuerier is a pgx connection or transaction.
type pgxQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// migrationsTable is golang-migrate's bookkeeping, carried as the manifest's
// schema_version rather than as data.
const migrationsTable = "schema_migrations"

// catalogTable is one table of a schema.
type catalogTable struct {
	Name    string
	Columns []string // stored columns in attnum order: no dropped or generated ones
	Refs    []string // other tables of the same schema its foreign keys reference
}

// schemaTables lists schema's tables (partitioned ones as a whole), by name.
func schemaTables(ctx context.Context, q pgxQuerier, schema string) ([]catalogTable, error) {
	rows, err := q.Query(ctx, `
		SELECT c.relname::text,
		       ARRAY(SELECT a.attname::text FROM pg_attribute a
		             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
		             ORDER BY a.attnum),
		       ARRAY(SELECT DISTINCT r.relname::text FROM pg_constraint k JOIN pg_class r ON r.oid = k.confrelid
		             WHERE k.conrelid = c.oid AND k.contype = 'f' AND r.relnamespace = c.relnamespace AND r.oid <> c.oid)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> $2
		ORDER BY c.relname`, schema, migrationsTable)
	if err != nil {
		return nil, fmt.Errorf("list tables of %s: %w", schema, err)
	}
	tables, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (catalogTable, error) {
		var t catalogTable
		err := r.Scan(&t.Name, &t.Columns, &t.Refs)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("list tables of %s: %w", schema, err)
	}
	return tables, nil
}

// schemaSequences lists schema's sequences with their state, by name.
func schemaSequences(ctx context.Context, q pgxQuerier, schema string) ([]ArchivedSequence, error) {
	rows, err := q.Query(ctx, `
		SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relkind = 'S' ORDER BY c.relname`, schema)
	if err != nil {
		return nil, fmt.Errorf("list sequences of %s: %w", schema, err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("list sequences of %s: %w", schema, err)
	}
	seqs := make([]ArchivedSequence, 0, len(names))
	for _, name := range names {
		s := ArchivedSequence{Name: name}
		rows, err := q.Query(ctx, `SELECT last_value, is_called FROM `+pgx.Identifier{schema, name}.Sanitize())
		if err == nil {
			_, err = pgx.ForEachRow(rows, []any{&s.LastValue, &s.IsCalled}, func() error { return nil })
		}
		if err != nil {
			return nil, fmt.Errorf("read sequence %s: %w", name, err)
		}
		seqs = append(seqs, s)
	}
	return seqs, nil
}

// loadOrder orders tables so that each comes after the tables it references
// (Kahn's algorithm, ties by name), so their rows can be loaded one table
// after another with every foreign key checked. A cycle is refused.
func loadOrder(tables []catalogTable) ([]catalogTable, error) {
	byName := make(map[string]catalogTable, len(tables))
	waiting := make(map[string]int, len(tables)) // references not yet placed
	users := map[string][]string{}               // table -> tables referencing it
	for _, t := range tables {
		byName[t.Name] = t
	}
	for _, t := range tables {
		for _, r := range t.Refs {
			if _, ok := byName[r]; ok {
				waiting[t.Name]++
				users[r] = append(users[r], t.Name)
			}
		}
	}
	var ready, order []string
	for _, t := range tables {
		if waiting[t.Name] == 0 {
			ready = append(ready, t.Name)
		}
	}
	for len(ready) > 0 {
		sort.Strings(ready)
		name := ready[0]
		ready = ready[1:]
		order = append(order, name)
		for _, u := range users[name] {
			if waiting[u]--; waiting[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	if len(order) < len(tables) {
		var cycle []string
		for _, t := range tables {
			if waiting[t.Name] > 0 {
				cycle = append(cycle, t.Name)
			}
		}
		return nil, fmt.Errorf("tables %s reference each other in a cycle: their rows cannot be loaded one table after another",
			strings.Join(cycle, ", "))
	}
	out := make([]catalogTable, len(order))
	for i, name := range order {
		out[i] = byName[name]
	}
	return out, nil
}
