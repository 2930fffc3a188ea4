package tenant_test

import (
	"strings"
	"testing"

	"polls/app/tenant"
)

func TestValidateSchema(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		ok     bool
	}{
		{"plain", "client1", true},
		{"leading underscore", "_x", true},
		{"63 characters", "a" + strings.Repeat("b", 62), true},
		{"injection", "a;drop schema public", false},
		{"quote injection", `a"; drop schema public; --`, false},
		{"pg prefix upper", "PG_x", false},
		{"pg prefix", "pg_x", false},
		{"64 characters", strings.Repeat("a", 64), false},
		{"uppercase", "Client1", false},
		{"public", "public", false},
		{"information_schema", "information_schema", false},
		{"empty", "", false},
		{"leading digit", "1abc", false},
		{"hyphen", "client-1", false},
		{"space", "client 1", false},
		{"non-ascii", "clïent", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tenant.ValidateSchema(tt.schema)
			if (err == nil) != tt.ok {
				t.Fatalf("ValidateSchema(%q) = %v, want ok=%v", tt.schema, err, tt.ok)
			}
		})
	}
}

func TestNormalizeDomain(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"client1.maboite.com", "client1.maboite.com", true},
		{"Client1.Localhost", "client1.localhost", true},
		{"localhost", "localhost", true},
		{"a-b.example", "a-b.example", true},
		{"", "", false},
		{"client1.localhost.", "", false},
		{"www.client1.com", "", false},
		{"127.0.0.1", "", false},
		{"-bad.example", "", false},
		{"bad_.example", "", false},
		{"a..b", "", false},
		{"client1.localhost:8080", "", false},
		{"a;drop table x", "", false},
		{strings.Repeat("a", 64) + ".com", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := tenant.NormalizeDomain(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("NormalizeDomain(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestHostFromRequest(t *testing.T) {
	tests := []struct{ header, want string }{
		{"client1.localhost:8080", "client1.localhost"},
		{"CLIENT1.LOCALHOST", "client1.localhost"},
		{"www.client1.localhost", "client1.localhost"},
		{"www.www.client1.localhost", "www.client1.localhost"},
		{"client1.localhost.", ""},
		{"client1.localhost:abc", ""},
		{"client1.localhost:99999", ""},
		{"client1.localhost:0", ""},
		{"127.0.0.1:8080", ""},
		{"[::1]:8080", ""},
		{"", ""},
		{"a b", ""},
		{"client1.localhost/../x", ""},
		{strings.Repeat("a.", 200) + "com", ""},
	}
	for _, tt := range tests {
		if got := tenant.HostFromRequest(tt.header); got != tt.want {
			t.Errorf("HostFromRequest(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}
