package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"polls/app/auth"
	"polls/models"
)

// The demo's platform admin login, printed for the newcomer as the tenants'
// are.
const (
	PlatformAdmin    = "admin"
	PlatformPassword = "platform-demo"
)

// SeedPlatform adds the platform admin's superuser if no platform user of
// that name exists; tx is scoped to the platform schema. It reports what it
// added, so running the demo twice adds nothing twice.
func SeedPlatform(ctx context.Context, tx *gorm.DB, now time.Time) (added []string, err error) {
	if _, err := models.UserByUsername(tx, PlatformAdmin); err == nil {
		return nil, nil
	}
	hash, err := auth.HashPassword(PlatformPassword)
	if err != nil {
		return nil, err
	}
	u := models.User{Username: PlatformAdmin, Password: hash, IsStaff: true, IsSuperuser: true, IsActive: true, DateJoined: now}
	if err := tx.Create(&u).Error; err != nil {
		return nil, fmt.Errorf("seed the platform admin: create %s: %w", PlatformAdmin, err)
	}
	return []string{"platform superuser " + PlatformAdmin}, nil
}
