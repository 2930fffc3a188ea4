package tenant

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// PlanChange changes a tenant's name and plan; nil fields are kept.
type PlanChange struct {
	Name           *string
	PaidUntil      *time.Time // a date
	ClearPaidUntil bool       // no end date any more
	OnTrial        *bool
	Suspended      *bool
	Language       *string // "en" or "fr" (app/i18n checks it)
	AnyLanguage    *bool   // visitors' Accept-Language may pick another language
}

// ChangePlan applies ch to the tenant with schema and returns its plan
// after. Every running server follows within moments (the registry's
// notifications). When mustServe, a change that would leave the tenant
// suspended at now is refused and nothing is changed: resuming a tenant
// whose paid_until has passed needs a new date (or a trial).
func ChangePlan(ctx context.Context, db *sql.DB, schema string, ch PlanChange, mustServe bool, now time.Time) (Plan, error) {
	var after Plan
	err := inTx(ctx, db, func(tx *sql.Tx) error {
		p, err := updatePlan(ctx, tx, schema, ch)
		if err != nil {
			return err
		}
		if mustServe && p.SuspendedAt(now) {
			return fmt.Errorf("tenant %q would stay suspended: it was paid until %s and is not on trial; "+
				"give --paid-until DATE (or set --on-trial)", schema, p.PaidUntil.Format(time.DateOnly))
		}
		after = p
		return nil
	})
	return after, err
}
