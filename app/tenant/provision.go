package tenant

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"polls/app/dbmigrate"
	"polls/migrations"
)

// NewTenant is what createtenant asks for.
type NewTenant struct {
	Schema    string
	Domain    string
	Name      string
	PaidUntil *time.Time
	OnTrial   bool
	Suspended bool // by hand, as `polls suspend` (an imported tenant keeps its standing)
	// Language is what the tenant's pages speak; Own "" is English.
	Language Language
	// Version, when not 0, builds the schema at this tenant migration version
	// instead of the latest: Fill then loads rows made by that version (an
	// archive's), and the later migrations run over them before the tenant
	// is served. 0 builds it at the latest version.
	Version uint
	// Fill, when set, loads rows into the new schema before it is routable,
	// in one transaction whose search_path is the new schema, acting as the
	// provisioning user (so it may read another tenant's schema, to clone
	// it). A Fill error undoes the whole creation. Built from the template,
	// that transaction is the creation's own (schema, role, objects, rows
	// and registry commit together); tx is then not Fill's to commit, roll
	// back or nest (Commit, Rollback and Begin return errEnclosed).
	Fill func(ctx context.Context, tx pgx.Tx) error
	// MoreDomains are served too (not primary), registered with Domain in
	// one transaction: all of them or no tenant.
	MoreDomains []string

	cloneFrom string // set by Clone: the schema whose structure to copy
	cloneRows bool   // and whether its rows too
}

// Provisioner creates tenants.
type Provisioner struct {
	SQL        *sql.DB
	URL        string // migrations open their own connection
	Migrations fs.FS  // the tenant migrations; nil means the embedded ones
	Isolation  Isolation
	Roles      Roles // names the tenant roles in roles isolation
	// Replay builds every tenant by replaying its migrations instead of from
	// the recorded template (tenancy.provision: migrations). Slower; the
	// result is the same.
	Replay bool
	// OneStatement sends the migrations one statement at a time, each
	// still in one transaction: a Citus coordinator refuses multi-command
	// query strings for the DDL it forwards to its workers. It also builds
	// every tenant by its migrations, not from the template: Citus refuses
	// the template's ALTER SEQUENCE ... OWNED BY on a distributed sequence,
	// and its workers see a role and a schema only once committed, while
	// the template makes them and the tables in one transaction.
	OneStatement bool
	// Refusal, when set, is why no tenant may be created on this database
	// (a Citus coordinator whose schema-based sharding is off): Create
	// returns it before touching anything.
	Refusal error
	// DefaultLanguage is the language of a tenant created without one
	// (tenancy.default_language); "" leaves the registry's default, en.
	DefaultLanguage string
}

func (p *Provisioner) migrations() fs.FS {
	if p.Migrations == nil {
		return migrations.Tenant()
	}
	return p.Migrations
}

// Create registers the tenant (not yet routable), creates its schema, applies
// every tenant migration, and only then marks it ready. A failure undoes what it
// did; a kill midway leaves a not-ready row that the next Create for the same
// schema cleans up. A session advisory lock on the schema name makes two
// concurrent Creates of one schema fail fast instead of racing; the domain's
// unique constraint does the same for domains.
func (p *Provisioner) Create(ctx context.Context, nt NewTenant) error {
	if p.Refusal != nil {
		return fmt.Errorf("create tenant %s: %w", nt.Schema, p.Refusal)
	}
	if err := ValidateSchema(nt.Schema); err != nil {
		return err
	}
	domain, err := NormalizeDomain(nt.Domain)
	if err != nil {
		return err
	}
	nt.Domain = domain
	if nt.Language.Own == "" {
		nt.Language.Own = p.DefaultLanguage
	}
	more := make([]string, len(nt.MoreDomains))
	for i, d := range nt.MoreDomains {
		if more[i], err = NormalizeDomain(d); err != nil {
			return err
		}
	}
	nt.MoreDomains = more

	conn, err := p.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("create tenant %s: %w", nt.Schema, err)
	}
	defer conn.Close()
	defer discard(conn)
	lockKey := "polls.createtenant:" + nt.Schema
	var locked bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtext($1))`, lockKey).Scan(&locked); err != nil {
		return fmt.Errorf("create tenant %s: %w", nt.Schema, err)
	}
	if !locked {
		return &ExistsError{Taken: SchemaInCreation, Name: nt.Schema}
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext($1))`, lockKey)

	if err := p.clearLeftover(ctx, conn, nt.Schema); err != nil {
		return err
	}
	id, err := p.register(ctx, conn, nt)
	if err != nil {
		return err
	}
	if err := p.build(ctx, conn, id, nt); err != nil {
		if cerr := dropTenant(context.WithoutCancel(ctx), conn, id, nt.Schema); cerr != nil {
			err = errors.Join(err, fmt.Errorf("clean up: %w", cerr))
		} else if p.Isolation != IsolationSearchPath && p.Roles.Prefix != "" {
			// build may have made the tenant's role (a failed Fill, a
			// failed migration): nothing is left of the tenant, so neither
			// is its role.
			if _, cerr := dropUnlessShared(context.WithoutCancel(ctx), conn, p.Roles.For(nt.Schema)); cerr != nil {
				err = errors.Join(err, fmt.Errorf("clean up: %w", cerr))
			}
		}
		return fmt.Errorf("create tenant %s: %w", nt.Schema, err)
	}
	return nil
}

// clearLeftover refuses a taken schema name and removes the remains of a Create
// that was killed before it finished.
func (p *Provisioner) clearLeftover(ctx context.Context, conn *sql.Conn, schema string) error {
	id, ready, found, err := tenantRow(ctx, conn, schema)
	switch {
	case err != nil:
		return fmt.Errorf("create tenant %s: %w", schema, err)
	case found && ready:
		return &ExistsError{Taken: SchemaTaken, Name: schema}
	case found:
		return dropTenant(ctx, conn, id, schema)
	}
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, schema).Scan(&exists); err != nil {
		return fmt.Errorf("create tenant %s: %w", schema, err)
	}
	if exists {
		return &ExistsError{Taken: SchemaForeign, Name: schema}
	}
	return nil
}

// register inserts the tenant and its primary domain, not ready to route.
func (p *Provisioner) register(ctx context.Context, conn *sql.Conn, nt NewTenant) (int64, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("create tenant %s: %w", nt.Schema, err)
	}
	defer tx.Rollback()
	id, err := insertTenant(ctx, tx, nt)
	var exists *ExistsError
	if errors.As(err, &exists) {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("create tenant %s: %w", nt.Schema, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("create tenant %s: %w", nt.Schema, err)
	}
	return id, nil
}

// build creates the schema, hands it to the tenant's role, gives it its
// structure (from the template, a clone's source, or the migrations), fills
// it, and makes the tenant routable. From the template, that is one
// transaction; otherwise a few, which a failure undoes by dropping the schema.
func (p *Provisioner) build(ctx context.Context, conn *sql.Conn, id int64, nt NewTenant) error {
	if nt.cloneFrom == "" && nt.Version == 0 && !p.Replay && !p.OneStatement {
		t, ok, err := p.template(ctx, conn)
		if err == nil && ok {
			return p.buildFromTemplate(ctx, conn, id, nt.Schema, t, nt.Fill)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// No usable template: the migrations build the same thing, slower,
		// and report any fault in them in their own words.
	}
	schema := nt.Schema
	if _, err := conn.ExecContext(ctx, `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
		return err
	}
	role := ""
	if p.Isolation != IsolationSearchPath {
		var err error
		if role, err = ensureRole(ctx, p.SQL, p.Roles, schema, false); err != nil {
			return err
		}
	}
	if err := p.structure(ctx, conn, schema, role, nt); err != nil {
		return err
	}
	if nt.Fill != nil {
		err := inPgxTx(ctx, conn, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
			if err := actIn(ctx, tx, schema, ""); err != nil {
				return err
			}
			return nt.Fill(ctx, tx)
		})
		if err != nil {
			return fmt.Errorf("fill: %w", err)
		}
	}
	if nt.Version != 0 {
		if _, err := p.up(ctx, schema, role, p.migrations(), 0); err != nil {
			return err
		}
	}
	return markReadyAt(ctx, conn, id, schema)
}

// buildFromTemplate makes the schema, its role and its objects, runs fill
// (when not nil) as the provisioning user, and marks the tenant ready, in one
// transaction on conn: a failure or a kill leaves only the registry row,
// which the next Create of the schema clears.
func (p *Provisioner) buildFromTemplate(ctx context.Context, conn *sql.Conn, id int64, schema string, t Template, fill func(context.Context, pgx.Tx) error) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	s := pgx.Identifier{schema}.Sanitize()
	role := ""
	if p.Isolation == IsolationSearchPath {
		if _, err := tx.ExecContext(ctx, `CREATE SCHEMA `+s); err != nil {
			return err
		}
	} else {
		if p.Roles.Prefix == "" {
			return errNoPrefix
		}
		role = p.Roles.For(schema)
		if err := createRole(ctx, tx, role, p.Roles.Login); err != nil {
			return fmt.Errorf("tenant role for %s: %w", schema, err)
		}
		r := pgx.Identifier{role}.Sanitize()
		if _, err := tx.ExecContext(ctx, `CREATE SCHEMA `+s+` AUTHORIZATION `+r); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `SET LOCAL ROLE `+r); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `SELECT set_config('search_path', $1, true)`, s); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, t.SQL); err != nil {
		return fmt.Errorf("build from the template (version %d): %w", t.Version, err)
	}
	if _, err := tx.ExecContext(ctx, `RESET ROLE`); err != nil {
		return err
	}
	if fill != nil {
		if err := fillEnclosed(ctx, conn, fill); err != nil {
			return fmt.Errorf("fill: %w", err)
		}
	}
	// Last: the registry's version row stays locked from here to COMMIT,
	// and every other creation waits for it.
	if err := markReadyAs(ctx, tx, id, role, t.Version); err != nil {
		return err
	}
	return tx.Commit()
}

// structure gives a new schema its tables when they do not come from the
// template: a copy of a clone's source, or the migrations (up to nt.Version).
func (p *Provisioner) structure(ctx context.Context, conn *sql.Conn, schema, role string, nt NewTenant) error {
	src := p.migrations()
	switch {
	case nt.cloneFrom != "":
		return cloneInto(ctx, conn, nt.cloneFrom, schema, role, nt.cloneRows)
	case nt.Version != 0:
		_, err := p.up(ctx, schema, role, src, nt.Version)
		return err
	}
	_, err := p.up(ctx, schema, role, src, 0)
	return err
}

// up applies src's migrations to schema up to version (0: all of them), one
// statement at a time when p.OneStatement.
func (p *Provisioner) up(ctx context.Context, schema, role string, src fs.FS, version uint) (dbmigrate.Result, error) {
	switch {
	case p.OneStatement:
		return dbmigrate.UpOneByOneAs(ctx, p.URL, schema, role, src, version)
	case version != 0:
		return dbmigrate.UpToAs(ctx, p.URL, schema, role, src, version)
	}
	return dbmigrate.UpAs(ctx, p.URL, schema, role, src)
}

// dropTenant removes a tenant's schema, then its row (and domains with it).
func dropTenant(ctx context.Context, conn *sql.Conn, id int64, schema string) error {
	if _, err := conn.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
		return fmt.Errorf("drop schema %s: %w", schema, err)
	}
	if err := deleteTenantRow(ctx, conn, id); err != nil {
		return fmt.Errorf("delete tenant %s: %w", schema, err)
	}
	return nil
}

// discard makes conn leave the pool when closed. A PostgreSQL backend never
// shrinks its relation and catalog caches, and one that built many tenants'
// objects holds them all: every cache invalidation (each DDL anywhere sends
// some) then scans them. perf on a pool that had built 5,000 tenants showed
// 41% of its time in hash_seq_search under ReceiveSharedInvalidMessages, and
// creation slowing with every tenant. A fresh backend per tenant starts with
// cold caches, yet wins: 10,000 tenants two at a time took 5m0s retiring the
// connection after each, and were at 6,742 after 5m12s retiring one every 32.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}
