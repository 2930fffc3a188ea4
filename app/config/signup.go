package config

import "fmt"

// The values of tenancy.unknown_host.
const (
	UnknownHostNotFound = "not_found" // an unknown host is a 404, whatever it is
	UnknownHostRedirect = "redirect"  // an unknown subdomain of main_domain goes to the landing page
)

// validateSignup checks the public site's sign-up settings.
func (c Config) validateSignup() error {
	if c.Tenancy.SignupRate < 0 {
		return &Error{Key: "tenancy.signup_rate", Msg: fmt.Sprintf("%d is negative (0 means no limit)", c.Tenancy.SignupRate)}
	}
	if c.Tenancy.TrialDays < 0 || c.Tenancy.TrialDays > 3650 {
		return &Error{Key: "tenancy.trial_days", Msg: fmt.Sprintf("%d is out of range 0..3650", c.Tenancy.TrialDays)}
	}
	if c.Tenancy.UnknownHost != UnknownHostNotFound && c.Tenancy.UnknownHost != UnknownHostRedirect {
		return &Error{Key: "tenancy.unknown_host", Msg: fmt.Sprintf("%q is not not_found or redirect", c.Tenancy.UnknownHost)}
	}
	return nil
}
