package djangoimport

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"polls/app/tenant"
)

// mappedVersion is the tenant migration version whose tables fill writes:
// the tenant is built at it, filled, then migrated to the latest like an
// archive, so a later migration that reshapes these tables carries the
// imported rows too. Change it only with fill's column lists.
const mappedVersion = 3

// Options say which Django tenants to import, and under which names.
type Options struct {
	Schemas []string          // Django schema names to import; every tenant when empty
	Renames map[string]string // Django schema name -> polls schema name
	DryRun  bool              // report only: create nothing
}

// Importer creates polls tenants from a Django database.
type Importer struct {
	Source      *Source
	Provisioner *tenant.Provisioner
	// Registry is polls' database, for the tenants and domains it has; nil
	// in a dry run on a database polls has not set up yet (no tenants).
	Registry *sql.DB
	Out      io.Writer
}

// Summary counts what Run did, or in a dry run would do.
type Summary struct {
	Imported int // or would be
	Skipped  int // already imported, or django-tenants' public row
	Failed   int // or, in a dry run, have problems
}

// ErrFailed is Run's error when some tenant failed (or, in a dry run, has a
// problem); the others were imported, and each failed one left nothing.
var ErrFailed = errors.New("some tenants were not imported")

// plan is one Django tenant and what polls will make of it.
type plan struct {
	src      Tenant
	target   string   // polls schema
	domains  []string // normalized, primary first
	problems []string
	notes    []string
	skip     string // why it is skipped, if it is
}

// Run imports the chosen tenants one at a time, each all or nothing, and
// reports each as it goes, then a summary. A tenant that fails does not stop
// the others.
func (im *Importer) Run(ctx context.Context, opts Options) (Summary, error) {
	var sum Summary
	all, err := im.Source.Tenants(ctx)
	if err != nil {
		return sum, err
	}
	chosen, err := choose(all, opts)
	if err != nil {
		return sum, err
	}
	var existing []tenant.Record
	if im.Registry != nil {
		if existing, err = tenant.List(ctx, im.Registry); err != nil {
			return sum, err
		}
	}
	verb := "importing"
	if opts.DryRun {
		verb = "dry run, nothing is created:"
	}
	fmt.Fprintf(im.Out, "%s %d of %d tenants of a %s database (table %s)\n", verb, len(chosen), len(all), im.Source.Flavor, im.Source.tenantTable)
	for _, t := range chosen {
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		p := planFor(t, opts.Renames, existing)
		if p.skip != "" {
			fmt.Fprintf(im.Out, "%s: skipped (%s)\n", t.Schema, p.skip)
			sum.Skipped++
			continue
		}
		snap, err := im.Source.Read(ctx, t.Schema)
		if err != nil {
			p.problems = append(p.problems, err.Error())
			snap = &Snapshot{}
		}
		p.problems = append(p.problems, snap.Problems...)
		p.notes = append(p.notes, snap.Notes...)
		ok := len(p.problems) == 0
		if opts.DryRun {
			im.describe(p, snap)
		} else {
			ok = im.importOne(ctx, p, snap)
		}
		if ok {
			sum.Imported++
		} else {
			sum.Failed++
		}
	}
	if opts.DryRun {
		fmt.Fprintf(im.Out, "dry run: %d would be imported, %d skipped, %d with problems; nothing was created\n", sum.Imported, sum.Skipped, sum.Failed)
	} else {
		fmt.Fprintf(im.Out, "imported %d, skipped %d, failed %d\n", sum.Imported, sum.Skipped, sum.Failed)
	}
	if sum.Failed > 0 {
		return sum, ErrFailed
	}
	return sum, nil
}

// choose returns the tenants opts names (all of them when none), and
// refuses a --schema or --rename naming no Django tenant.
func choose(all []Tenant, opts Options) ([]Tenant, error) {
	has := func(s string) bool { return slices.ContainsFunc(all, func(t Tenant) bool { return t.Schema == s }) }
	for _, s := range opts.Schemas {
		if !has(s) {
			return nil, fmt.Errorf("--schema %s: no Django tenant has this schema (%d tenants: %s)", s, len(all), schemaList(all))
		}
	}
	for old := range opts.Renames {
		if !has(old) {
			return nil, fmt.Errorf("--rename %s=...: no Django tenant has this schema (%d tenants: %s)", old, len(all), schemaList(all))
		}
	}
	if len(opts.Schemas) == 0 {
		return all, nil
	}
	var out []Tenant
	for _, t := range all {
		if slices.Contains(opts.Schemas, t.Schema) {
			out = append(out, t)
		}
	}
	return out, nil
}

func schemaList(all []Tenant) string {
	names := make([]string, len(all))
	for i, t := range all {
		names[i] = t.Schema
	}
	return strings.Join(names, ", ")
}

// planFor decides a tenant's polls schema and domains, and finds what is in
// the way in polls' registry: a tenant polls already has under that schema
// (the same tenant when it answers on the Django tenant's primary domain:
// imported before, skipped), a domain another tenant serves.
func planFor(t Tenant, renames map[string]string, existing []tenant.Record) plan {
	p := plan{src: t, target: t.Schema}
	if t.Schema == "public" {
		p.skip = "django-tenants' public tenant: the shared schema, not a site"
		return p
	}
	if to, ok := renames[t.Schema]; ok {
		p.target = to
	}
	if err := tenant.ValidateSchema(p.target); err != nil {
		p.problems = append(p.problems, fmt.Sprintf("%v (import it under another name: --rename %s=NEW)", err, t.Schema))
	}
	for _, d := range t.Domains {
		n, note, err := normalizeDomain(d)
		if err != nil {
			p.problems = append(p.problems, err.Error())
			continue
		}
		if note != "" {
			p.notes = append(p.notes, note)
		}
		if !slices.Contains(p.domains, n) {
			p.domains = append(p.domains, n)
		}
	}
	if len(t.Domains) == 0 {
		p.problems = append(p.problems, "it has no domain: Django never served it (give it one in Django first)")
	}
	for _, r := range existing {
		if r.Schema == p.target {
			if len(p.domains) > 0 && slices.ContainsFunc(r.Domains, func(d tenant.Domain) bool { return d.Name == p.domains[0] }) {
				p.skip = "already imported"
				return p
			}
			p.problems = append(p.problems, fmt.Sprintf("polls already has a tenant %s, on %s: import this one under another name (--rename %s=NEW)",
				r.Schema, r.PrimaryDomain(), t.Schema))
			continue
		}
		for _, d := range r.Domains {
			if slices.Contains(p.domains, d.Name) {
				p.problems = append(p.problems, fmt.Sprintf("domain %s is already served by polls tenant %s", d.Name, r.Schema))
			}
		}
	}
	return p
}

// normalizeDomain is tenant.NormalizeDomain, except that www.X becomes X:
// polls serves www.X as X, so the site answers on the same names.
func normalizeDomain(d string) (string, string, error) {
	trimmed := strings.ToLower(strings.TrimSpace(d))
	note := ""
	if rest, ok := strings.CutPrefix(trimmed, "www."); ok {
		trimmed = rest
		note = fmt.Sprintf("domain %s is carried as %s: polls serves www.%s as %s", d, rest, rest, rest)
	}
	n, err := tenant.NormalizeDomain(trimmed)
	if err != nil {
		return "", "", fmt.Errorf("domain %q: %v", d, err)
	}
	return n, note, nil
}

// describe prints what a dry run found of one tenant.
func (im *Importer) describe(p plan, snap *Snapshot) {
	t := p.src
	paid := "none"
	if t.PaidUntil != nil {
		paid = t.PaidUntil.Format("2006-01-02")
	}
	fmt.Fprintf(im.Out, "%s -> %s: name %q, paid_until %s, on_trial %v\n", t.Schema, p.target, t.Name, paid, t.OnTrial)
	if len(p.domains) > 0 {
		fmt.Fprintf(im.Out, "  domains: %s (primary)", p.domains[0])
		if len(p.domains) > 1 {
			fmt.Fprintf(im.Out, ", %s", strings.Join(p.domains[1:], ", "))
		}
		fmt.Fprintln(im.Out)
	}
	fmt.Fprintf(im.Out, "  rows: polls_question %d, polls_choice %d, auth_user %d, django_admin_log %d, django_session %d (not carried)\n",
		len(snap.Questions), len(snap.Choices), len(snap.Users), len(snap.Actions), snap.Sessions)
	im.printFindings(p)
}

// importOne creates the polls tenant of p, or says why not.
func (im *Importer) importOne(ctx context.Context, p plan, snap *Snapshot) bool {
	t := p.src
	if len(p.problems) == 0 {
		name := t.Name
		if name == "" {
			name = p.target
		}
		err := im.Provisioner.Create(ctx, tenant.NewTenant{
			Schema: p.target, Domain: p.domains[0], MoreDomains: p.domains[1:],
			Name: name, PaidUntil: t.PaidUntil, OnTrial: t.OnTrial,
			Version: mappedVersion, Fill: snap.fill,
		})
		if err == nil {
			fmt.Fprintf(im.Out, "%s: imported as %s on %s: %s\n", t.Schema, p.target, strings.Join(p.domains, ", "), snap.Counts())
			im.printFindings(p)
			return true
		}
		p.problems = append(p.problems, err.Error())
	}
	fmt.Fprintf(im.Out, "%s: failed, nothing created:\n", t.Schema)
	im.printFindings(p)
	return false
}

func (im *Importer) printFindings(p plan) {
	for _, s := range p.problems {
		fmt.Fprintf(im.Out, "  problem: %s\n", s)
	}
	for _, s := range p.notes {
		fmt.Fprintf(im.Out, "  note: %s\n", s)
	}
}
