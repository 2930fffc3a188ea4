package web

import (
	"strings"
	"testing"
)

// The sign-up form's pages must let the form end on a tenant's host; the
// rest of the policy stays the site's.
func TestSignupPolicyWidensFormActionOnly(t *testing.T) {
	got := signupPolicy("maboite.com")
	if !strings.Contains(got, "form-action 'self' *.maboite.com:*;") {
		t.Fatalf("signupPolicy: %q does not let the form go to *.maboite.com", got)
	}
	if strings.Replace(got, " *.maboite.com:*", "", 1) != contentSecurityPolicy {
		t.Fatalf("signupPolicy changed more than form-action: %q", got)
	}
}
