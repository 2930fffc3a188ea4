package models

import (
	"database/sql"
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
//
// It and PublishedQuestion, the public pages' reads, are hand-written SQL
// read row by row through GORM's Raw rather than built by GORM's query
// builder and scanned by reflection: every visitor's page runs one, and the
// builder cost a fifth of a page's CPU (README, "Benchmarks"). They still
// name every column (see database.OpenConfig on QueryFields).
func LatestQuestions(tx *gorm.DB, now time.Time, n int) ([]Question, error) {
	rows, err := tx.Raw(`SELECT id, question_text, pub_date FROM polls_question WHERE pub_date <= ?
		ORDER BY pub_date DESC, id DESC LIMIT ?`, now, n).Rows()
	if err != nil {
		return nil, fmt.Errorf("latest questions: %w", translate(err))
	}
	defer rows.Close()
	qs := make([]Question, 0, n)
	for rows.Next() {
		var q Question
		if err := rows.Scan(&q.ID, &q.QuestionText, &q.PubDate); err != nil {
			return nil, fmt.Errorf("latest questions: %w", translate(err))
		}
		qs = append(qs, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("latest questions: %w", translate(err))
	}
	return qs, nil
}

// PublishedQuestion returns a published question with its choices in id
// order, or ErrNotFound for a missing one or one whose pub_date is in the
// future. One query (a join) rather than GORM's Preload, which would cost a
// second round trip to the database on every question page.
func PublishedQuestion(tx *gorm.DB, id int64, now time.Time) (Question, error) {
	rows, err := tx.Raw(`SELECT q.id, q.question_text, q.pub_date, c.id, c.choice_text, c.votes
		FROM polls_question AS q LEFT JOIN polls_choice AS c ON c.question_id = q.id
		WHERE q.id = ? AND q.pub_date <= ? ORDER BY c.id`, id, now).Rows()
	if err != nil {
		return Question{}, fmt.Errorf("question %d: %w", id, translate(err))
	}
	defer rows.Close()
	var q Question
	found := false
	for rows.Next() {
		// The choice's columns are NULL when the question has none (one row,
		// from the LEFT JOIN).
		var choiceID, votes sql.NullInt64
		var choiceText sql.NullString
		if err := rows.Scan(&q.ID, &q.QuestionText, &q.PubDate, &choiceID, &choiceText, &votes); err != nil {
			return Question{}, fmt.Errorf("question %d: %w", id, translate(err))
		}
		found = true
		if choiceID.Valid {
			q.Choices = append(q.Choices, Choice{ID: choiceID.Int64, QuestionID: q.ID, ChoiceText: choiceText.String, Votes: votes.Int64})
		}
	}
	if err := rows.Err(); err != nil {
		return Question{}, fmt.Errorf("question %d: %w", id, translate(err))
	}
	if !found {
		return Question{}, fmt.Errorf("question %d: %w", id, ErrNotFound)
	}
	return q, nil
}
