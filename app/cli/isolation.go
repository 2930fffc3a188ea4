package cli

import (
	"context"
	"log/slog"

	"polls/app/config"
	"polls/app/database"
	"polls/app/tenant"
)

// isolation returns the configured tenant isolation after checking the
// database allows it: roles mode refuses to run without CREATEROLE rather than
// quietly isolating less; search_path mode is allowed but warned about.
func isolation(ctx context.Context, cfg config.Config, db *database.DB, log *slog.Logger) (tenant.Isolation, error) {
	mode := tenant.Isolation(cfg.Tenancy.Isolation)
	if mode == tenant.IsolationSearchPath {
		log.Warn("tenant isolation is search_path only (tenancy.isolation in config): PostgreSQL does not stop one tenant's queries from reading another's schema")
		return mode, nil
	}
	if err := tenant.CheckCanCreateRoles(ctx, db.SQL); err != nil {
		return mode, &ExitError{Code: 2, Err: err}
	}
	return mode, nil
}
