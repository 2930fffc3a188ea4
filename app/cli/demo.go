package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"polls/app/database"
	"polls/app/dbmigrate"
	"polls/app/demo"
	"polls/app/tenant"
)

func demoCommand() *Command {
	return &Command{
		Name:    "demo",
		Usage:   "[--addr HOST:PORT] [--no-serve]",
		Summary: "migrate, create the demo tenants client1 and client2 with sample polls and admins (once), then serve",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			addr := fs.String("addr", "", "listen address (default from config: 127.0.0.1:8080)")
			noServe := fs.Bool("no-serve", false, "set everything up, then exit instead of serving")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 {
					return usageError("demo takes only flags, got %q", strings.Join(args, " "))
				}
				rt, err := inv.start(ctx, startOptions{addr: *addr, installPostgres: true, serving: true})
				if err != nil {
					return err
				}
				defer rt.close()
				if err := setUpDemo(ctx, inv.Stdout, rt); err != nil {
					return err
				}
				_, port, _ := net.SplitHostPort(rt.cfg.Addr)
				for _, s := range demo.Sites() {
					fmt.Fprintf(inv.Stdout, "  %s: http://%s:%s/  admin http://%s:%s/admin/  login %s / %s\n",
						s.Schema, s.Domain, port, s.Domain, port, s.Admin, s.Password)
				}
				if main := rt.cfg.Tenancy.MainDomain; main != "" {
					fmt.Fprintf(inv.Stdout, "  public site and sign-up: http://%s:%s/\n", main, port)
				}
				printPlatformLogin(inv.Stdout, rt.cfg.Tenancy.MainDomain, port)
				if *noServe {
					return nil
				}
				return serve(ctx, inv.Stdout, rt)
			}
		},
	}
}

// setUpDemo brings the database up to date and adds what the demo lacks.
func setUpDemo(ctx context.Context, out io.Writer, rt *runtime) error {
	db, workers := rt.db, rt.cfg.Migrate.Workers
	if _, err := dbmigrate.Shared(ctx, db.URL); err != nil {
		return err
	}
	p := rt.provisioner()
	for _, s := range demo.Sites() {
		err := p.Create(ctx, tenant.NewTenant{Schema: s.Schema, Domain: s.Domain, Name: s.Name,
			Language: tenant.Language{Own: s.Language}})
		var exists *tenant.ExistsError
		switch {
		case err == nil:
			fmt.Fprintf(out, "created tenant %s (%s)\n", s.Schema, s.Domain)
		case errors.As(err, &exists):
		default:
			return err
		}
	}
	ts, err := tenant.List(ctx, db.SQL)
	if err != nil {
		return err
	}
	var targets []dbmigrate.Target
	for _, t := range ts {
		targets = append(targets, dbmigrate.Target{Schema: t.Schema})
	}
	if rt.mode == tenant.IsolationRoles {
		unmoved, err := giveRoles(ctx, out, db.SQL, rt.roles, ts, targets)
		if err != nil {
			return err
		}
		if err := unmovedError(unmoved); err != nil {
			return err
		}
	}
	sum := dbmigrate.Run(ctx, db.URL, targets, dbmigrate.Options{Jobs: workers, OneStatement: rt.citus.Present, Progress: func(_, _ int, res dbmigrate.Result, err error) {
		if err != nil {
			fmt.Fprintf(out, "%s: migration FAILED: %v\n", res.Schema, err)
		}
	}})
	if sum.Failed > 0 {
		return errors.New("some tenants failed to migrate: run `polls migrate` to see why")
	}
	for _, s := range demo.Sites() {
		if err := seedSite(ctx, out, db, s); err != nil {
			return err
		}
	}
	return seedPlatform(ctx, out, db)
}

func seedSite(ctx context.Context, out io.Writer, db *database.DB, s demo.Site) error {
	tx, err := tenant.Begin(ctx, db.SQL, s.Schema)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	added, err := demo.Seed(ctx, tx.Gorm(ctx, db.Gorm), s, time.Now())
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	if len(added) > 0 {
		fmt.Fprintf(out, "%s: added %s\n", s.Schema, strings.Join(added, " and "))
	}
	return nil
}
