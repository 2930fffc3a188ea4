package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"polls/app/auth"
	"polls/models"
)

// Seed adds the site's sample questions if the tenant has none, and its
// superuser if no user of that name exists; tx is scoped to the tenant. It
// reports what it added, so running the demo twice adds nothing twice.
func Seed(ctx context.Context, tx *gorm.DB, s Site, now time.Time) (added []string, err error) {
	var questions int64
	if err := tx.Model(&models.Question{}).Count(&questions).Error; err != nil {
		return nil, fmt.Errorf("seed %s: %w", s.Schema, err)
	}
	if questions == 0 {
		for _, q := range s.Questions {
			mq := models.Question{QuestionText: q.Text, PubDate: now.Add(-time.Duration(q.AgeDays)*24*time.Hour - time.Hour)}
			for _, c := range q.Choices {
				mq.Choices = append(mq.Choices, models.Choice{ChoiceText: c})
			}
			if err := tx.Create(&mq).Error; err != nil {
				return nil, fmt.Errorf("seed %s: %w", s.Schema, err)
			}
		}
		added = append(added, fmt.Sprintf("%d sample polls", len(s.Questions)))
	}
	if _, err := models.UserByUsername(tx, s.Admin); err == nil {
		return added, nil
	}
	hash, err := auth.HashPassword(s.Password)
	if err != nil {
		return nil, err
	}
	u := models.User{Username: s.Admin, Email: s.Admin + "@" + s.Domain, Password: hash,
		IsStaff: true, IsSuperuser: true, IsActive: true, DateJoined: now}
	if err := tx.Create(&u).Error; err != nil {
		return nil, fmt.Errorf("seed %s: create %s: %w", s.Schema, s.Admin, err)
	}
	return append(added, "superuser "+s.Admin), nil
}
