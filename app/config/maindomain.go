package config

import (
	"fmt"

	"polls/app/tenant"
)

// validMainDomain checks tenancy.main_domain by the rule every tenant domain
// follows (tenant.NormalizeDomain), already lowercase; empty means no public
// site. It returns "" when the value is acceptable, else why not.
func validMainDomain(d string) string {
	if d == "" {
		return ""
	}
	n, err := tenant.NormalizeDomain(d)
	switch {
	case err != nil:
		return err.Error() + " (e.g. maboite.com or localhost; no scheme or port)"
	case n != d:
		return fmt.Sprintf("%q is not lowercase: give %q", d, n)
	case len(d) > 200:
		return fmt.Sprintf("%q is longer than 200 characters, leaving no room for tenant subdomains", d)
	}
	return ""
}
