package tenant

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
)

// UnknownHostError is a request whose Host names no tenant.
type UnknownHostError struct {
	Host string // the hostname as the request gave it, port dropped
}

func (e *UnknownHostError) Error() string { return fmt.Sprintf("No tenant for hostname %q", e.Host) }

// Taken says what made a name unavailable.
type Taken int

const (
	SchemaTaken      Taken = iota // a tenant has this schema
	SchemaInCreation              // another process is creating a tenant with this schema
	SchemaForeign                 // the schema exists but belongs to no tenant
	DomainTaken                   // a tenant answers on this domain
)

// ExistsError is a tenant or domain refused because its name is taken.
type ExistsError struct {
	Taken Taken
	Name  string // the schema or domain
}

func (e *ExistsError) Error() string {
	switch e.Taken {
	case SchemaInCreation:
		return fmt.Sprintf("tenant %q is being created by another process right now", e.Name)
	case SchemaForeign:
		return fmt.Sprintf("schema %q already exists in the database but belongs to no tenant; choose another name", e.Name)
	case DomainTaken:
		return fmt.Sprintf("domain %q is already used by a tenant (remove it there first)", e.Name)
	default:
		return fmt.Sprintf("a tenant with schema %q already exists", e.Name)
	}
}

// BusyError is a unit of work that could not get a database connection in
// time: its tenant already holds its share of the pool and its queue is full,
// or no connection came free within the request's budget. Nothing was done;
// the visitor may simply try again.
type BusyError struct {
	Schema string
	Limit  BusyLimit // which wait gave up, for counting
	Reason string    // for the log: which limit acted
	Err    error     // the wait's own error, if any
}

// BusyLimit says which wait a BusyError gave up on, so that metrics can count
// each limit without reading Reason's prose.
type BusyLimit int

const (
	// BusyQueueFull: the tenant held its share of the pool and its queue was full.
	BusyQueueFull BusyLimit = iota + 1
	// BusyShareWait: the tenant's share stayed in use past the request's budget.
	BusyShareWait
	// BusyPoolWait: no connection of the pool came free within the budget.
	BusyPoolWait
)

func (e *BusyError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("tenant %s busy: %s: %v", e.Schema, e.Reason, e.Err)
	}
	return fmt.Sprintf("tenant %s busy: %s", e.Schema, e.Reason)
}

func (e *BusyError) Unwrap() error { return e.Err }

// ScopeError is PostgreSQL refusing a transaction's scoping statements (SET
// LOCAL search_path, SET LOCAL ROLE): the schema's role is missing, say,
// because the tenant was deleted meanwhile.
type ScopeError struct {
	Schema string
	Err    error
}

func (e *ScopeError) Error() string {
	return fmt.Sprintf("begin tenant transaction for %s: %v", e.Schema, e.Err)
}

func (e *ScopeError) Unwrap() error { return e.Err }

// MaybeGone reports whether err is what a tenant deleted under a route still
// cached looks like: its scoping refused (a missing role is 22023 or 42704),
// its schema (3F000) or tables (42P01) gone. Resolver.Recheck then tells
// whether it is gone.
func MaybeGone(err error) bool {
	if err == nil { // every request asks: errors.As would cost two allocations
		return false
	}
	var scopeErr *ScopeError
	if errors.As(err, &scopeErr) {
		return true
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	switch pgErr.Code {
	case "42704", "3F000", "42P01":
		return true
	}
	return false
}
