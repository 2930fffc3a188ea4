package models

import "time"

// Tenant is one customer: a schema of its own and one or more domains.
type Tenant struct {
	ID         int64
	SchemaName string
	Name       string
	PaidUntil  *time.Time
	OnTrial    bool
	Ready      bool
	RoleName   *string // the PostgreSQL role owning the schema; nil before it has one
	CreatedAt  time.Time
	Domains    []Domain `gorm:"foreignKey:TenantID"`
}

// TableName places the registry in the public schema, whatever the search_path.
func (Tenant) TableName() string { return "public.tenants" }

// PrimaryDomain returns the tenant's primary domain, or its first one.
func (t Tenant) PrimaryDomain() string {
	for _, d := range t.Domains {
		if d.IsPrimary {
			return d.Domain
		}
	}
	if len(t.Domains) > 0 {
		return t.Domains[0].Domain
	}
	return ""
}

// Domain is a hostname that routes to a tenant.
type Domain struct {
	ID        int64
	Domain    string
	TenantID  int64
	IsPrimary bool
}

// TableName places domains in the public schema.
func (Domain) TableName() string { return "public.domains" }
