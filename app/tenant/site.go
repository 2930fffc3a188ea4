// Package tenant is all of polls' multi-tenancy, and knows no HTTP: the
// registry of tenants and their domains (registry.go), which tenant a Host
// names (Resolver), the transaction that scopes work to a tenant's schema and
// role and shares the pool fairly (Runner, Tx, Shares), and creating and
// deleting tenants. The polls and admin code never import it: they receive a
// scoped *gorm.DB from app/web.
package tenant

// Site is what a request needs to know about its tenant.
type Site struct {
	ID     int64
	Schema string
	Name   string
	Domain string // the primary domain
	Role   string // the PostgreSQL role owning the schema; "" if it has none yet
}

// NotifyChannel is the PostgreSQL channel on which registry changes are announced
// (by triggers on public.tenants and public.domains), so every process drops its
// cached routes.
const NotifyChannel = "polls_registry"
