package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestSignupSettings(t *testing.T) {
	d := Default().Tenancy
	if d.SignupRate != 10 || d.TrialDays != 14 || d.UnknownHost != UnknownHostNotFound {
		t.Errorf("defaults: signup_rate %d, trial_days %d, unknown_host %q; want 10, 14, not_found", d.SignupRate, d.TrialDays, d.UnknownHost)
	}
	for _, tt := range []struct{ yaml, key string }{
		{"tenancy: {signup_rate: 0, trial_days: 0, unknown_host: redirect}", ""},
		{"tenancy: {signup_rate: -1}", "tenancy.signup_rate"},
		{"tenancy: {trial_days: -1}", "tenancy.trial_days"},
		{"tenancy: {unknown_host: 404}", "tenancy.unknown_host"},
	} {
		path := filepath.Join(t.TempDir(), "config.yaml")
		if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path, true, func(string) string { return "" })
		var cerr *Error
		if tt.key == "" && err != nil || tt.key != "" && (!errors.As(err, &cerr) || cerr.Key != tt.key) {
			t.Errorf("%s: got %v, want a refusal naming %q (none if empty)", tt.yaml, err, tt.key)
		}
	}
}
