package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"

	"polls/app/citus"
	"polls/app/tenant"
)

func tenantsCommand() *Command {
	return &Command{
		Name:    "tenants",
		Summary: "list the tenants: schema, primary domain, name, paid_until, on_trial (tab-separated; on Citus, then the node), language",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			asJSON := fs.Bool("json", false, "print a JSON array instead of tab-separated lines")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 {
					return usageError("tenants takes no arguments, got %q", strings.Join(args, " "))
				}
				rt, err := inv.start(ctx, startOptions{})
				if err != nil {
					return err
				}
				defer rt.close()
				ts, err := tenant.List(ctx, rt.db.SQL)
				if err != nil {
					return registryMissing(err)
				}
				// On a Citus coordinator, each tenant's worker; empty otherwise.
				nodes := map[string]citus.Node{}
				if rt.citus.Present {
					if nodes, err = citus.Nodes(ctx, rt.db.SQL); err != nil {
						return err
					}
				}
				type row struct {
					Schema    string   `json:"schema"`
					Domain    string   `json:"domain"`
					Domains   []string `json:"domains"`
					Name      string   `json:"name"`
					PaidUntil *string  `json:"paid_until"`
					OnTrial   bool     `json:"on_trial"`
					Suspended bool     `json:"suspended"`      // now, by hand or by its date
					Node      string   `json:"node,omitempty"` // HOST:PORT of its Citus worker
					Language  string   `json:"language"`       // what its pages speak: en or fr
					Languages string   `json:"languages"`      // own, or any: visitors may pick another
				}
				rows := make([]row, 0, len(ts))
				now := time.Now()
				for _, t := range ts {
					r := row{Schema: t.Schema, Domain: t.PrimaryDomain(), Name: t.Name, OnTrial: t.OnTrial, Domains: []string{},
						Suspended: t.Plan().SuspendedAt(now), Language: t.Language.Own, Languages: "own"}
					if t.Language.Any {
						r.Languages = "any"
					}
					if n, ok := nodes[t.Schema]; ok {
						r.Node = n.String()
					}
					for _, d := range t.Domains {
						r.Domains = append(r.Domains, d.Name)
					}
					if t.PaidUntil != nil {
						s := t.PaidUntil.Format("2006-01-02")
						r.PaidUntil = &s
					}
					rows = append(rows, r)
				}
				if *asJSON {
					enc := json.NewEncoder(inv.Stdout)
					enc.SetIndent("", "  ")
					return enc.Encode(rows)
				}
				for _, r := range rows {
					paid := ""
					if r.PaidUntil != nil {
						paid = *r.PaidUntil
					}
					if rt.citus.Present {
						fmt.Fprintf(inv.Stdout, "%s\t%s\t%s\t%s\t%t\t%s\t%s\n", r.Schema, r.Domain, oneLine(r.Name), paid, r.OnTrial, r.Node,
							describeLanguage(tenant.Language{Own: r.Language, Any: r.Languages == "any"}))
						continue
					}
					fmt.Fprintf(inv.Stdout, "%s\t%s\t%s\t%s\t%t\t%s\n", r.Schema, r.Domain, oneLine(r.Name), paid, r.OnTrial,
						describeLanguage(tenant.Language{Own: r.Language, Any: r.Languages == "any"}))
				}
				return nil
			}
		},
	}
}

// oneLine keeps a free-text field from breaking tab-separated output.
func oneLine(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
}
