package cli

import (
	"context"
	"fmt"
	"slices"

	"polls/app/database"
	"polls/app/dbmigrate"
	"polls/app/tenant"
	"polls/migrations"
)

// forceVersion records a tenant at version, clean, once a human has said
// its schema is as that version leaves it: golang-migrate's `force`, which
// a dirty tenant needs before it migrates again. It asks first, as
// deletetenant does, unless noInput.
func forceVersion(ctx context.Context, inv *Invocation, db *database.DB, schema string, version uint, noInput bool) error {
	rec, err := tenant.Find(ctx, db.SQL, schema)
	if err != nil {
		return err
	}
	available, err := dbmigrate.Versions(migrations.Tenant())
	if err != nil {
		return err
	}
	if !slices.Contains(available, version) {
		return fmt.Errorf("version %d is not a tenant migration: they are %v", version, available)
	}
	vs, err := dbmigrate.ReadVersions(ctx, db.URL, []string{schema})
	if err != nil {
		return err
	}
	now := "no recorded version"
	if v := vs[schema]; v.Err == nil {
		now = fmt.Sprintf("version %d", v.Version)
		if v.Dirty {
			now += " (dirty: a migration to it did not finish)"
		}
	}
	if !noInput {
		fmt.Fprintf(inv.Stdout, "Tenant '%s' is at %s.\n", schema, now)
		fmt.Fprintf(inv.Stdout, "Warning: its schema is not changed, only where its migrations resume: check by hand that it matches version %d.\n", version)
		if !confirm(inv.Stdin, inv.Stdout, fmt.Sprintf("Are you sure you want to force '%s' to version %d [yes/no]? ", schema, version)) {
			fmt.Fprintln(inv.Stdout, "Canceled")
			return nil
		}
	}
	t := dbmigrate.Target{Schema: schema, Role: rec.Role}
	if err := dbmigrate.Force(ctx, db.URL, t, nil, version, tenant.VersionRegistry{SQL: db.SQL}); err != nil {
		return err
	}
	fmt.Fprintf(inv.Stdout, "%s: forced to version %d, clean (was %s); `polls migrate` goes on from there\n", schema, version, now)
	return nil
}
