package config

import (
	"fmt"
	"strings"
)

// validMainDomain checks tenancy.main_domain: a lowercase hostname without
// port, scheme or www. (www.X is served as X), or empty for no public site.
// It returns "" when the value is acceptable, else why not.
func validMainDomain(d string) string {
	if d == "" {
		return ""
	}
	if strings.HasPrefix(d, "www.") {
		return fmt.Sprintf("%q starts with www.; give it without: www.%s is served too", d, strings.TrimPrefix(d, "www."))
	}
	if len(d) > 200 {
		return fmt.Sprintf("%q is longer than 200 characters, leaving no room for tenant subdomains", d)
	}
	for _, label := range strings.Split(d, ".") {
		if !hostLabel(label) {
			return fmt.Sprintf("%q is not a lowercase hostname (e.g. maboite.com or localhost; no scheme, port or trailing dot)", d)
		}
	}
	return ""
}

// hostLabel reports whether l is one DNS label: 1-63 lowercase letters,
// digits or hyphens, not starting or ending with a hyphen.
func hostLabel(l string) bool {
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
