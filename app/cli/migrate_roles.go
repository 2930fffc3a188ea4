package cli

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"polls/app/dbmigrate"
	"polls/app/tenant"
)

// giveRoles sets each target's role. A tenant made before roles (or in
// search_path mode) is given one. A tenant whose role is not the one roles
// names (made before tenancy.role_prefix, or under another prefix) is moved
// to it, one line each; one that cannot be moved says why and keeps its old
// role, which still works, while the others go on: unmoved counts them.
func giveRoles(ctx context.Context, w io.Writer, db *sql.DB, roles tenant.Roles, ts []tenant.Record, targets []dbmigrate.Target) (unmoved int, err error) {
	recorded := map[string]string{}
	for _, t := range ts {
		recorded[t.Schema] = t.Role
	}
	for i, tg := range targets {
		role := recorded[tg.Schema]
		switch {
		case role == "":
			if role, err = tenant.EnsureRole(ctx, db, roles, tg.Schema); err != nil {
				return unmoved, err
			}
			fmt.Fprintf(w, "%s: now owned by its own role %s\n", tg.Schema, role)
		case role != roles.For(tg.Schema):
			move, err := tenant.MoveRole(ctx, db, roles, tg.Schema)
			if err != nil {
				fmt.Fprintf(w, "%s: FAILED to move role %s to %s, it keeps it: %v\n", tg.Schema, role, roles.For(tg.Schema), err)
				unmoved++
				break
			}
			role = move.To
			printMove(w, tg.Schema, move)
		}
		if roles.Login {
			changed, err := tenant.AllowLogin(ctx, db, role)
			if err != nil {
				return unmoved, err
			}
			if changed {
				fmt.Fprintf(w, "%s: role %s may now log in (Citus connects to the workers as it)\n", tg.Schema, role)
			}
		}
		targets[i].Role = role
	}
	return unmoved, nil
}

// printMove says what MoveRole did, and why an old role was not dropped.
func printMove(w io.Writer, schema string, move tenant.RoleMove) {
	if !move.Moved() {
		return
	}
	line := fmt.Sprintf("%s: role %s -> %s", schema, move.From, move.To)
	if len(move.Kept) > 0 {
		line += fmt.Sprintf(" (%s is kept: database %s still uses it)", move.From, strings.Join(move.Kept, ", "))
	}
	fmt.Fprintln(w, line)
}

// unmovedError is the exit of a migrate that left some tenants on their old
// role: they are served and migrated still, but not where the prefix says.
func unmovedError(unmoved int) error {
	if unmoved == 0 {
		return nil
	}
	return fmt.Errorf("%d tenant(s) keep their old role (see FAILED above): fix the cause and run `polls migrate` again", unmoved)
}
