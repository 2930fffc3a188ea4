package tenant_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"polls/app/tenant"
)

var (
	safeSchema = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)
	safeHost   = regexp.MustCompile(`^[a-z0-9.-]{1,253}$`)
)

// FuzzValidateSchema: whatever is accepted is a plain lowercase identifier that
// quoting leaves untouched, so it can never change the SQL it is spliced into.
func FuzzValidateSchema(f *testing.F) {
	for _, s := range []string{"client1", "a;drop schema public", "PG_x", "public", `x"y`, "Ünïcode", strings.Repeat("a", 64), "_", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if tenant.ValidateSchema(name) != nil {
			return
		}
		if !safeSchema.MatchString(name) || strings.HasPrefix(name, "pg_") || name == "public" || name == "information_schema" {
			t.Fatalf("accepted unsafe schema name %q", name)
		}
		if (pgx.Identifier{name}).Sanitize() != `"`+name+`"` {
			t.Fatalf("accepted a name that quoting changes: %q", name)
		}
	})
}

// FuzzNormalizeDomain: an accepted domain is lowercase hostname characters,
// and normalising it again changes nothing.
func FuzzNormalizeDomain(f *testing.F) {
	for _, s := range []string{"client1.maboite.com", "Client1.LOCALHOST", "www.x.com", "127.0.0.1", "a..b", "x.", "-a.b", "a b", "ü.com", "[::1]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, domain string) {
		d, err := tenant.NormalizeDomain(domain)
		if err != nil {
			return
		}
		if !safeHost.MatchString(d) || strings.Contains(d, "..") || strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") {
			t.Fatalf("NormalizeDomain(%q) accepted %q", domain, d)
		}
		if again, err := tenant.NormalizeDomain(d); err != nil || again != d {
			t.Fatalf("NormalizeDomain is not idempotent on %q: %q, %v", d, again, err)
		}
	})
}

// FuzzHostFromRequest: any Host header yields "" or a clean hostname, never
// anything that could reach the lookup with odd characters.
func FuzzHostFromRequest(f *testing.F) {
	for _, s := range []string{"client1.localhost:8080", "WWW.X.COM", "[::1]:80", "x.com.", "a\x00b", "", "x:99999", "%2e%2e", strings.Repeat("a.", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		h := tenant.HostFromRequest(header)
		if h == "" {
			return
		}
		if !utf8.ValidString(h) || !safeHost.MatchString(h) || strings.Contains(h, "..") {
			t.Fatalf("HostFromRequest(%q) = %q", header, h)
		}
	})
}
