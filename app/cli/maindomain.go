package cli

import (
	"strings"

	"polls/app/tenant"
)

// refuseMainDomain refuses to give a tenant the main domain
// (tenancy.main_domain) or www. of it: requests for those go to the public
// site before any tenant is looked up, so the tenant would never be served
// there. A tenant's domain is checked before anything else is done.
func (inv *Invocation) refuseMainDomain(domain string) error {
	cfg, err := inv.config()
	if err != nil {
		return err
	}
	main := cfg.Tenancy.MainDomain
	d := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(domain)), "www.")
	if main == "" || tenant.HostFromRequest(d) != main {
		return nil
	}
	return usageError("--domain %s is the main domain (tenancy.main_domain), which serves the public site: "+
		"give the tenant a domain of its own, e.g. SUBDOMAIN.%s", domain, main)
}
