package public

import (
	"strings"

	"polls/app/tenant"
)

// Subdomain limits: three characters at least, so that no one takes the
// one- and two-letter names people mistype for others; thirty at most, so
// that the schema, and the tenant role named after it (tenancy.role_prefix
// takes up to 30 of PostgreSQL's 63), always fit.
const (
	minSubdomain = 3
	maxSubdomain = 30
)

const (
	msgSubdomainRules = "Enter 3 to 30 characters: lowercase letters, digits and hyphens, starting with a letter, " +
		"ending with a letter or digit, without two hyphens in a row."
	// msgSubdomainTaken is the one answer for a name a tenant has and for a
	// reserved one, so the form tells nobody which tenants exist beyond
	// what their addresses already show.
	msgSubdomainTaken = "This subdomain is not available. Please choose another."
)

// reservedSubdomains are refused whoever asks, because they name a service
// people expect at that address rather than a customer's site: the web
// (www), this service's own pages and machinery (admin, api, static, app,
// signup, login, status, ...), mail and DNS hosts (mail, smtp, imap, pop,
// mx, ns1, ...), PostgreSQL's own schema names (public, postgres,
// information-schema) and environments an operator may want for itself
// (dev, staging, test, demo). Names starting with pg (PostgreSQL reserves
// pg_ schemas) or polls (polls_platform, polls' role names and template
// schemas) are refused by reservedSubdomain as well.
var reservedSubdomains = map[string]bool{
	"www": true, "admin": true, "api": true, "static": true, "public": true, "mail": true,
	"app": true, "assets": true, "auth": true, "billing": true, "blog": true, "cdn": true,
	"dashboard": true, "demo": true, "dev": true, "docs": true, "email": true, "ftp": true,
	"help": true, "imap": true, "information-schema": true, "localhost": true, "login": true,
	"logout": true, "media": true, "metrics": true, "mx": true, "ns1": true, "ns2": true,
	"pop": true, "pop3": true, "postgres": true, "postmaster": true, "root": true,
	"security": true, "signup": true, "smtp": true, "staging": true, "status": true,
	"support": true, "test": true, "webmail": true,
}

// subdomainProblem returns why sub cannot be signed up for, or "". Taken
// by a tenant is found only when the tenant is created (tenant.ExistsError),
// and gets the same msgSubdomainTaken as a reserved name.
func subdomainProblem(sub string) string {
	switch {
	case !subdomainShape(sub):
		return msgSubdomainRules
	case reservedSubdomain(sub):
		return msgSubdomainTaken
	case tenant.ValidateSchema(schemaFor(sub)) != nil: // reserved by PostgreSQL or polls
		return msgSubdomainTaken
	}
	return ""
}

// subdomainShape checks the rules of msgSubdomainRules. A first letter
// keeps the schema name valid (it may not start with a digit); no double
// hyphen keeps clear of internationalised names (xn--...).
func subdomainShape(sub string) bool {
	if len(sub) < minSubdomain || len(sub) > maxSubdomain || strings.Contains(sub, "--") {
		return false
	}
	for i := 0; i < len(sub); i++ {
		c := sub[i]
		letter, digit := c >= 'a' && c <= 'z', c >= '0' && c <= '9'
		switch {
		case i == 0 && !letter, i == len(sub)-1 && c == '-':
			return false
		case !letter && !digit && c != '-':
			return false
		}
	}
	return true
}

func reservedSubdomain(sub string) bool {
	return reservedSubdomains[sub] || strings.HasPrefix(sub, "pg") || strings.HasPrefix(sub, "polls")
}

// schemaFor is the schema of the tenant signed up as sub: hyphens become
// underscores, which a subdomain cannot have. So a-b and a_b (a schema
// createtenant may have made) are one name: the registry's unique schema
// refuses the second, as taken.
func schemaFor(sub string) string { return strings.ReplaceAll(sub, "-", "_") }
