package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"polls/app/dbmigrate"
)

// TestTheProgressBar is the terminal mode of `polls migrate`: a bar that
// ends at the count of tenants, a failure printed above it the moment it
// happens, then the summary line. (A terminal cannot be had in a test;
// newMigrateOutput picks this output only for one.)
func TestTheProgressBar(t *testing.T) {
	var out bytes.Buffer
	o := &barOutput{w: &out}
	o.start(3)
	o.tenant(1, 3, dbmigrate.Result{Schema: "a", From: 1, To: 2}, nil)
	o.tenant(2, 3, dbmigrate.Result{Schema: "b", From: 1, To: 1}, errors.New("boom"))
	o.tenant(3, 3, dbmigrate.Result{Schema: "c", From: 2, To: 2}, nil)
	o.summary(dbmigrate.Summary{Migrated: 1, Current: 1, Failed: 1}, time.Second)
	got := out.String()
	for _, want := range []string{"b: FAILED: boom\n", "3/3", "tenants", "tenants: 1 migrated, 1 already current, 1 failed (1s)\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("the bar's output lacks %q:\n%q", want, got)
		}
	}
	if strings.Index(got, "FAILED") > strings.Index(got, "3/3") {
		t.Errorf("the failure came after the bar finished, not when it happened:\n%q", got)
	}
}
