package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"polls/app/citus"
	"polls/app/config"
	"polls/app/database"
	"polls/app/embeddedpg"
	"polls/app/tenant"
)

// runtime is what a command works with: its settings, the logger, the open
// database, the tenant isolation that database allows and the names of its
// tenant roles.
type runtime struct {
	cfg   config.Config
	log   *slog.Logger
	db    *database.DB
	mode  tenant.Isolation
	roles tenant.Roles
	citus citus.Info // the zero Info on a single PostgreSQL
	close func()
}

// startOptions tunes start for the few commands that need more.
type startOptions struct {
	addr            string // overrides the listen address when not empty
	installPostgres bool   // install missing server binaries (demo, as root)
	serving         bool   // requests go through database.url, the rest through session_url
}

// start loads the settings, opens the database (starting the private
// PostgreSQL if none is configured) and checks the isolation mode. The caller
// must call close.
func (inv *Invocation) start(ctx context.Context, opts startOptions) (*runtime, error) {
	cfg, err := inv.config()
	if err != nil {
		return nil, err
	}
	if opts.addr != "" {
		cfg.Addr = opts.addr
		if err := cfg.Validate(); err != nil {
			return nil, &ExitError{Code: 2, Err: fmt.Errorf("--addr: %w", err)}
		}
	}
	log := newLogger(cfg, inv.Stderr)
	db, closeDB, err := open(ctx, cfg, log, opts.serving)
	if errors.Is(err, embeddedpg.ErrNoBinaries) && opts.installPostgres && installPostgres(ctx, inv.Stdout, inv.Stderr) {
		db, closeDB, err = open(ctx, cfg, log, opts.serving)
	}
	if err != nil {
		return nil, err
	}
	mode, err := isolation(ctx, cfg, db, log)
	if err != nil {
		closeDB()
		return nil, err
	}
	roles, err := tenant.ResolveRoles(ctx, db.SQL, cfg.Tenancy.RolePrefix)
	if err != nil {
		closeDB()
		return nil, err
	}
	ci, err := citus.Detect(ctx, db.SQL)
	if err != nil {
		closeDB()
		return nil, err
	}
	if ci.Present {
		log.Info(ci.String())
		roles.Login = true // Citus connects to the workers as the tenant's role
	}
	return &runtime{cfg: cfg, log: log, db: db, mode: mode, roles: roles, citus: ci, close: closeDB}, nil
}

// provisioner creates tenants as the settings say.
func (rt *runtime) provisioner() *tenant.Provisioner {
	return &tenant.Provisioner{SQL: rt.db.SQL, URL: rt.db.URL, Isolation: rt.mode, Roles: rt.roles, Replay: rt.cfg.Tenancy.Provision == "migrations",
		OneStatement: rt.citus.Present, Refusal: rt.citus.CreateRefusal(), DefaultLanguage: rt.cfg.Tenancy.DefaultLanguage}
}
