package tenant

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"polls/app/dbmigrate"
)

// importSettings make COPY read dates as export wrote them, and act as the
// new schema's owner, so the rows can go nowhere else.
const importSettings = `SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; SET LOCAL TimeZone = 'UTC'`

// NewTenant is what the archive says of its tenant, under a new schema and
// domain: its name and plan, as given to Import.
func (a *Archive) NewTenant(schema, domain string) (NewTenant, error) {
	at := a.Manifest.Tenant
	nt := NewTenant{Schema: schema, Domain: domain, Name: at.Name, OnTrial: at.OnTrial, Suspended: at.Suspended}
	if at.PaidUntil != nil {
		d, err := time.Parse(time.DateOnly, *at.PaidUntil)
		if err != nil {
			return nt, fmt.Errorf("archive %s: damaged: paid_until %q is not a date", a.Path, *at.PaidUntil)
		}
		nt.PaidUntil = &d
	}
	if nt.Name == "" {
		nt.Name = schema
	}
	return nt, nil
}

// Import creates the tenant nt from archive a: its schema built at the
// archive's tenant version, the rows loaded and the sequences set in one
// transaction before the tenant is routable, then the later migrations run
// over them, then served; all or nothing, as Create. An archive of a tenant
// version newer than this polls knows is refused before anything is made.
func (p *Provisioner) Import(ctx context.Context, a *Archive, nt NewTenant) error {
	latest, err := dbmigrate.Latest(p.migrations())
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if v := a.Manifest.SchemaVersion; v > latest {
		return fmt.Errorf("archive is at tenant version %d, this polls knows up to %d: upgrade polls", v, latest)
	}
	nt.Version = a.Manifest.SchemaVersion
	nt.Fill = a.fill
	return p.Create(ctx, nt)
}

// fill loads the archive into the transaction's schema (the new tenant's).
func (a *Archive) fill(ctx context.Context, tx pgx.Tx) error {
	var schema, owner string
	if err := tx.QueryRow(ctx, `SELECT nspname::text, pg_get_userbyid(nspowner)::text FROM pg_namespace
		WHERE nspname = current_schema()`).Scan(&schema, &owner); err != nil {
		return fmt.Errorf("find the new schema: %w", err)
	}
	pc := tx.Conn().PgConn()
	if _, err := pc.Exec(ctx, importSettings+`; SET LOCAL ROLE `+pgx.Identifier{owner}.Sanitize()).ReadAll(); err != nil {
		return err
	}
	tables, err := schemaTables(ctx, tx, schema)
	if err != nil {
		return err
	}
	plan, err := a.loadPlan(tables)
	if err != nil {
		return err
	}
	cur := &archiveCursor{a: a}
	defer cur.close()
	for _, t := range plan {
		r, err := cur.entry(t.File)
		if err != nil {
			return err
		}
		q := `COPY ` + pgx.Identifier{schema, t.Name}.Sanitize() + ` (` + quoteColumns(t.Columns) + `) FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')`
		tag, err := pc.CopyFrom(ctx, r, q)
		if err != nil {
			return fmt.Errorf("load %s: %w", t.Name, err)
		}
		if tag.RowsAffected() != t.Rows {
			return fmt.Errorf("load %s: %d rows loaded, the manifest says %d", t.Name, tag.RowsAffected(), t.Rows)
		}
	}
	return a.setSequences(ctx, tx, schema)
}

// loadPlan matches the archive's tables to the new schema's (made at the
// archive's version) and returns them in load order. A table or column the
// schema does not have, or a table the archive lacks, is refused: the
// archive is not of that version.
func (a *Archive) loadPlan(schemaTables []catalogTable) ([]ArchivedTable, error) {
	v := a.Manifest.SchemaVersion
	archived := map[string]ArchivedTable{}
	for _, t := range a.Manifest.Tables {
		archived[t.Name] = t
	}
	known := map[string]catalogTable{}
	for _, t := range schemaTables {
		known[t.Name] = t
		if _, ok := archived[t.Name]; !ok {
			return nil, fmt.Errorf("archive has no table %s, which tenant version %d has: it is incomplete", t.Name, v)
		}
	}
	for _, t := range a.Manifest.Tables {
		st, ok := known[t.Name]
		if !ok {
			return nil, fmt.Errorf("archive has table %s, which tenant version %d does not have", t.Name, v)
		}
		for _, c := range t.Columns {
			if !slices.Contains(st.Columns, c) {
				return nil, fmt.Errorf("archive's table %s has column %s, which tenant version %d does not have", t.Name, c, v)
			}
		}
	}
	ordered, err := loadOrder(schemaTables)
	if err != nil {
		return nil, err
	}
	plan := make([]ArchivedTable, len(ordered))
	for i, t := range ordered {
		plan[i] = archived[t.Name]
	}
	return plan, nil
}

// setSequences gives each sequence its archived state, so that new rows get
// ids after the imported ones.
func (a *Archive) setSequences(ctx context.Context, tx pgx.Tx, schema string) error {
	for _, s := range a.Manifest.Sequences {
		tag, err := tx.Exec(ctx, `SELECT setval(c.oid::regclass, $3, $4) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'S'`, schema, s.Name, s.LastValue, s.IsCalled)
		if err != nil {
			return fmt.Errorf("set sequence %s: %w", s.Name, err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("archive has sequence %s, which tenant version %d does not have", s.Name, a.Manifest.SchemaVersion)
		}
	}
	return nil
}
