package tenant

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"polls/models"
)

// List returns every ready tenant with its domains, ordered by schema name.
func List(ctx context.Context, db *gorm.DB) ([]models.Tenant, error) {
	var ts []models.Tenant
	err := db.WithContext(ctx).Where("ready").Order("schema_name").
		Preload("Domains", func(tx *gorm.DB) *gorm.DB { return tx.Order("is_primary DESC, domain") }).
		Find(&ts).Error
	if err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	return ts, nil
}
