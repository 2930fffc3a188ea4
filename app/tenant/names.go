package tenant

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
)

var schemaPattern = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// PlatformSchema holds the platform's own tables (its admin's users,
// sessions and log), apart from every tenant's: the main domain's requests
// run with it as their search_path. No tenant may take its name.
const PlatformSchema = "polls_platform"

// ValidateSchema accepts lowercase PostgreSQL identifiers that need no quoting
// and are not reserved. Lowercase only: PostgreSQL folds unquoted names, so
// "Client1" and "client1" would otherwise fight over one schema.
func ValidateSchema(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("schema name is empty")
	case len(name) > 63:
		return fmt.Errorf("schema name %q is %d characters long; at most 63 are allowed", name, len(name))
	case strings.HasPrefix(strings.ToLower(name), "pg_"):
		return fmt.Errorf("schema name %q starts with pg_, which PostgreSQL reserves for system schemas", name)
	case name == "public" || name == "information_schema" || name == PlatformSchema:
		return fmt.Errorf("schema name %q is reserved", name)
	case !schemaPattern.MatchString(name):
		return fmt.Errorf("schema name %q is invalid: use lowercase letters, digits and _, not starting with a digit", name)
	}
	return nil
}

// NormalizeDomain lowercases a domain given to createtenant and checks it is a
// hostname that a Host header can carry.
func NormalizeDomain(domain string) (string, error) {
	d := strings.ToLower(strings.TrimSpace(domain))
	switch {
	case d == "":
		return "", fmt.Errorf("domain is empty")
	case len(d) > 253:
		return "", fmt.Errorf("domain %q is longer than 253 characters", domain)
	case strings.HasSuffix(d, "."):
		return "", fmt.Errorf("domain %q ends with a dot; give it without the dot", domain)
	case strings.HasPrefix(d, "www."):
		return "", fmt.Errorf("domain %q starts with www.; give it without: requests for www.X are served by X", domain)
	case net.ParseIP(d) != nil:
		return "", fmt.Errorf("domain %q is an IP address; tenants are chosen by hostname", domain)
	}
	for _, label := range strings.Split(d, ".") {
		if !validLabel(label) {
			return "", fmt.Errorf("domain %q is not a valid hostname: each dot-separated part needs 1-63 letters, digits or hyphens, not starting or ending with a hyphen", domain)
		}
	}
	return d, nil
}

func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// HostFromRequest turns a Host header into the domain to look up: the port
// dropped, lowercased, one leading "www." dropped. It returns "" for a header
// that cannot name any tenant, so no lookup is spent on it.
func HostFromRequest(hostHeader string) string {
	h := hostHeader
	if host, port, err := net.SplitHostPort(h); err == nil {
		if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
			return "" // a port that no client could have connected to
		}
		h = host
	}
	h = strings.ToLower(h)
	h = strings.TrimPrefix(h, "www.")
	if h == "" || len(h) > 253 || net.ParseIP(h) != nil {
		return ""
	}
	for _, label := range strings.Split(h, ".") {
		if !validLabel(label) {
			return ""
		}
	}
	return h
}
