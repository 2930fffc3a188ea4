package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Question is a poll question (table polls_question, as Django names it).
type Question struct {
	ID           int64
	QuestionText string    `gorm:"column:question_text"`
	PubDate      time.Time `gorm:"column:pub_date"`
	Choices      []Choice  `gorm:"foreignKey:QuestionID"`
}

// TableName is Django's name for the table, unqualified: the schema comes from
// the tenant's search_path.
func (Question) TableName() string { return "polls_question" }

// WasPublishedRecently reports whether the question was published within the
// day before now, and not in the future. Both ends are inclusive, as in the
// tutorial's now - timedelta(days=1) <= pub_date <= now.
func (q Question) WasPublishedRecently(now time.Time) bool {
	return !q.PubDate.After(now) && !q.PubDate.Before(now.Add(-24*time.Hour))
}

// LatestQuestions returns the n most recently published questions, excluding
// those whose pub_date is still in the future.
func LatestQuestions(tx *gorm.DB, now time.Time, n int) ([]Question, error) {
	var qs []Question
	err := tx.Where("pub_date <= ?", now).Order("pub_date DESC, id DESC").Limit(n).Find(&qs).Error
	if err != nil {
		return nil, fmt.Errorf("latest questions: %w", translate(err))
	}
	return qs, nil
}

// PublishedQuestion returns a published question with its choices, or
// ErrNotFound for a missing one or one whose pub_date is in the future.
func PublishedQuestion(tx *gorm.DB, id int64, now time.Time) (Question, error) {
	var q Question
	err := tx.Preload("Choices", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Where("id = ? AND pub_date <= ?", id, now).Take(&q).Error
	if err != nil {
		return q, fmt.Errorf("question %d: %w", id, translate(err))
	}
	return q, nil
}
