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

// PublishedQuestion returns a published question with its choices in id
// order, or ErrNotFound for a missing one or one whose pub_date is in the
// future. One query (a join) rather than GORM's Preload, which would cost a
// second round trip to the database on every question page.
func PublishedQuestion(tx *gorm.DB, id int64, now time.Time) (Question, error) {
	var rows []questionRow
	err := tx.Table("polls_question AS q").
		Select("q.id, q.question_text, q.pub_date, c.id AS choice_id, c.choice_text, c.votes").
		Joins("LEFT JOIN polls_choice AS c ON c.question_id = q.id").
		Where("q.id = ? AND q.pub_date <= ?", id, now).
		Order("c.id").Scan(&rows).Error
	if err != nil {
		return Question{}, fmt.Errorf("question %d: %w", id, translate(err))
	}
	if len(rows) == 0 {
		return Question{}, fmt.Errorf("question %d: %w", id, ErrNotFound)
	}
	q := Question{ID: rows[0].ID, QuestionText: rows[0].QuestionText, PubDate: rows[0].PubDate}
	for _, r := range rows {
		if r.ChoiceID != nil { // nil: the question has no choice (one row, from the LEFT JOIN)
			q.Choices = append(q.Choices, Choice{ID: *r.ChoiceID, QuestionID: q.ID, ChoiceText: *r.ChoiceText, Votes: *r.Votes})
		}
	}
	return q, nil
}

// questionRow is a row of PublishedQuestion's join: the question and one of
// its choices.
type questionRow struct {
	ID           int64
	QuestionText string
	PubDate      time.Time
	ChoiceID     *int64
	ChoiceText   *string
	Votes        *int64
}
