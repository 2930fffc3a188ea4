package cli

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"time"

	"polls/app/i18n"
	"polls/app/tenant"
)

// The plan commands: suspend, resume and settenant change a tenant's
// standing in the registry; every running server follows within moments.

func suspendCommand() *Command {
	return &Command{
		Name:    "suspend",
		Usage:   "--schema NAME",
		Summary: "suspend a tenant: its public pages answer 402, only its superusers may use its admin; no data is touched",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			schema := fs.String("schema", "", "the tenant's schema (required)")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 || *schema == "" {
					return usageError("suspend needs --schema NAME and nothing else")
				}
				yes := true
				return changePlan(ctx, inv, *schema, tenant.PlanChange{Suspended: &yes}, false)
			}
		},
	}
}

func resumeCommand() *Command {
	return &Command{
		Name:    "resume",
		Usage:   "--schema NAME [--paid-until YYYY-MM-DD]",
		Summary: "lift a tenant's suspension, with a new paid-until date if the old one has passed",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			schema := fs.String("schema", "", "the tenant's schema (required)")
			paidUntil := fs.String("paid-until", "", "the new last paid day, YYYY-MM-DD")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 || *schema == "" {
					return usageError("resume needs --schema NAME [--paid-until YYYY-MM-DD]")
				}
				no := false
				ch := tenant.PlanChange{Suspended: &no}
				if err := parsePaidUntil(*paidUntil, &ch); err != nil {
					return err
				}
				return changePlan(ctx, inv, *schema, ch, true)
			}
		},
	}
}

func setTenantCommand() *Command {
	return &Command{
		Name:    "settenant",
		Usage:   "--schema NAME [--name TEXT] [--paid-until YYYY-MM-DD|none] [--on-trial=BOOL] [--language en|fr] [--languages own|any]",
		Summary: "change a tenant's name, paid-until date, trial or language",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			schema := fs.String("schema", "", "the tenant's schema (required)")
			name := fs.String("name", "", "the new display name")
			paidUntil := fs.String("paid-until", "", "the last paid day, YYYY-MM-DD, or none for no end")
			onTrial := fs.String("on-trial", "", "true or false")
			lang := fs.String("language", "", "the language its pages and admin speak: en or fr")
			langs := fs.String("languages", "", "own: always its language; any: a visitor's Accept-Language may pick another")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 || *schema == "" {
					return usageError("settenant needs --schema NAME and at least one of --name, --paid-until, --on-trial, --language, --languages")
				}
				var ch tenant.PlanChange
				if *name != "" {
					ch.Name = name
				}
				if err := parsePaidUntil(*paidUntil, &ch); err != nil {
					return err
				}
				if *onTrial != "" {
					v, err := strconv.ParseBool(*onTrial)
					if err != nil {
						return usageError("--on-trial %q is not true or false", *onTrial)
					}
					ch.OnTrial = &v
				}
				if *lang != "" {
					if _, err := i18n.Parse(*lang); err != nil {
						return usageError("--language: %v", err)
					}
					ch.Language = lang
				}
				if *langs != "" {
					v, err := parseLanguages(*langs)
					if err != nil {
						return err
					}
					ch.AnyLanguage = &v
				}
				if ch == (tenant.PlanChange{}) {
					return usageError("settenant needs at least one of --name, --paid-until, --on-trial, --language, --languages")
				}
				return changePlan(ctx, inv, *schema, ch, false)
			}
		},
	}
}

// parsePaidUntil reads --paid-until into ch: a date, "none", or nothing.
func parsePaidUntil(v string, ch *tenant.PlanChange) error {
	switch v {
	case "":
	case "none":
		ch.ClearPaidUntil = true
	default:
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return usageError("--paid-until %q is not a date in the form YYYY-MM-DD (or none)", v)
		}
		ch.PaidUntil = &d
	}
	return nil
}

// changePlan applies ch and says what the tenant's standing is now.
func changePlan(ctx context.Context, inv *Invocation, schema string, ch tenant.PlanChange, mustServe bool) error {
	rt, err := inv.start(ctx, startOptions{})
	if err != nil {
		return err
	}
	defer rt.close()
	now := time.Now()
	p, err := tenant.ChangePlan(ctx, rt.db.SQL, schema, ch, mustServe, now)
	if err != nil {
		return err
	}
	fmt.Fprintf(inv.Stdout, "%s: %s\n", schema, p.Describe(now))
	if ch.Language != nil || ch.AnyLanguage != nil {
		l, err := tenant.Inspect(ctx, rt.db.SQL, schema, 0, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(inv.Stdout, "%s: speaks %s\n", schema, describeLanguage(l.Language))
	}
	return nil
}
