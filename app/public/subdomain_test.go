package public

import (
	"testing"

	"polls/app/tenant"
)

// Every subdomain the form accepts makes a valid schema and domain, so an
// accepted form never fails later on a name.
func FuzzAcceptedSubdomainsMakeValidNames(f *testing.F) {
	for _, s := range []string{"acme", "a-b", "a1-2b", "abc", "xn--abc", "pgsql", "polls-platform", "Acme", "1abc", "ab", "a_b", "public", "information-schema"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sub string) {
		if subdomainProblem(sub) != "" {
			return
		}
		if err := tenant.ValidateSchema(schemaFor(sub)); err != nil {
			t.Fatalf("accepted %q, but its schema: %v", sub, err)
		}
		if _, err := tenant.NormalizeDomain(sub + ".maboite.com"); err != nil {
			t.Fatalf("accepted %q, but its domain: %v", sub, err)
		}
		if reservedSubdomain(sub) || len(sub) < minSubdomain || len(sub) > maxSubdomain {
			t.Fatalf("accepted %q, reserved or out of length", sub)
		}
	})
}

func TestSubdomainRules(t *testing.T) {
	for sub, want := range map[string]string{
		"acme": "", "a-b": "", "abc": "", "z9": msgSubdomainRules, "a--b": msgSubdomainRules,
		"www": msgSubdomainTaken, "pgadmin": msgSubdomainTaken, "polls-platform": msgSubdomainTaken,
		"information-schema": msgSubdomainTaken, "public": msgSubdomainTaken,
	} {
		if got := subdomainProblem(sub); got != want {
			t.Errorf("subdomainProblem(%q) = %q, want %q", sub, got, want)
		}
	}
}
