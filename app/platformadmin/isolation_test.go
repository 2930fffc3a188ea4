package platformadmin_test

import (
	"context"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/tenant"
)

// A tenant's role, which every request of a tenant's site acts as, cannot
// read the platform's users, sessions or log: PostgreSQL itself refuses.
func TestTenantRolesCannotReadThePlatformSchema(t *testing.T) {
	tn := apptest.NewTenant(t)
	ctx := context.Background()
	for _, table := range []string{"auth_user", "django_session", "django_admin_log"} {
		tx, err := tenant.BeginAs(ctx, apptest.DB(t).SQL, tn.Schema, tn.Role)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		err = tx.Gorm(ctx, apptest.DB(t).Gorm).Raw("SELECT count(*) FROM " + tenant.PlatformSchema + "." + table).Scan(&n).Error
		tx.Rollback()
		if err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("%s.%s as the tenant's role: got %v, want permission denied", tenant.PlatformSchema, table, err)
		}
	}
}
