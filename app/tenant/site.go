// Package tenant is all of polls' multi-tenancy, and knows no HTTP: the
// registry of tenants and their domains (registry.go), which tenant a Host
// names (Resolver), the transaction that scopes work to a tenant's schema and
// role and shares the pool fairly (Runner, Tx, Shares), and creating and
// deleting tenants. The polls and admin code never import it: they receive a
// scoped *gorm.DB from app/web.
package tenant

import "time"

// Site is what a request needs to know about its tenant.
type Site struct {
	ID     int64
	Schema string
	Name   string
	Domain string // the primary domain
	Role   string // the PostgreSQL role owning the schema; "" if it has none yet
	Plan   Plan
	// Version is where its schema stands in the tenant migrations.
	Version SchemaVersion
	// Language is what its pages speak.
	Language Language
}

// Language is the language a tenant's public pages and admin speak (a tag
// app/i18n knows, "en" or "fr"), and whether a visitor's Accept-Language
// may choose another (Any).
type Language struct {
	Own string
	Any bool
}

// SchemaVersion is a tenant schema's migration state as the registry
// records it, in the same transaction as each migration.
type SchemaVersion struct {
	Number    int64  // the tenant migration version; 0 until one is recorded
	Migration string // one of migrationStates
}

// migrationStates are the values of SchemaVersion.Migration, as the CHECK on
// tenants.migration_state allows them: idle, or the listing's StateMigrating
// and StateFailed, which share their names.
var migrationStates = []string{"idle", StateMigrating, StateFailed}

// UnderMaintenance reports whether a server whose code needs tenant migration
// version needs must not serve the tenant: a migration is running or failed
// on it, or it is behind. A tenant whose version is not recorded yet is
// served, as before versions were recorded; needs 0 checks nothing.
func (v SchemaVersion) UnderMaintenance(needs int64) bool {
	if needs == 0 {
		return false
	}
	return v.Migration == StateMigrating || v.Migration == StateFailed || (v.Number != 0 && v.Number < needs)
}

// Plan is a tenant's standing: paid until a date, on trial, or suspended.
type Plan struct {
	PaidUntil *time.Time // a date (midnight UTC); nil: no end
	OnTrial   bool
	Suspended bool // by hand (polls suspend)
}

// SuspendedAt reports whether the tenant is suspended at now: by hand, or
// past its paid_until while not on trial. paid_until is the last paid day:
// the tenant is suspended from the start of the next day, in UTC.
func (p Plan) SuspendedAt(now time.Time) bool {
	if p.Suspended {
		return true
	}
	if p.OnTrial || p.PaidUntil == nil {
		return false
	}
	d := p.PaidUntil.UTC()
	dayAfter := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, time.UTC)
	return !now.Before(dayAfter)
}

// Describe says the standing in a few words, as `polls suspend`, `resume`
// and `settenant` print it and the platform admin shows it.
func (p Plan) Describe(now time.Time) string {
	paid := "no end date"
	if p.PaidUntil != nil {
		paid = "paid until " + p.PaidUntil.Format(time.DateOnly)
	}
	switch {
	case p.Suspended:
		return "suspended (by hand); " + paid
	case p.SuspendedAt(now):
		return "suspended (" + paid + ", not on trial)"
	case p.OnTrial:
		return "serving, on trial; " + paid
	}
	return "serving; " + paid
}

// NotifyChannel is the PostgreSQL channel on which registry changes are announced
// (by triggers on public.tenants and public.domains), so every process drops its
// cached routes.
const NotifyChannel = "polls_registry"
