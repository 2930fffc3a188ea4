package web

import "polls/app/config"

// Signup is the public site's sign-up settings.
type Signup struct {
	// RatePerHour is the sign-up attempts one client address may make per
	// hour; 0: no limit.
	RatePerHour int
	// TrialDays is a new tenant's trial: paid_until today plus this many.
	TrialDays int
	// RedirectUnknown sends an unknown subdomain of the main domain to its
	// landing page (302) instead of the 404 every unknown host gets.
	RedirectUnknown bool
}

// SignupFrom reads the sign-up settings.
func SignupFrom(cfg config.Config) Signup {
	return Signup{RatePerHour: cfg.Tenancy.SignupRate, TrialDays: cfg.Tenancy.TrialDays,
		RedirectUnknown: cfg.Tenancy.UnknownHost == config.UnknownHostRedirect}
}
