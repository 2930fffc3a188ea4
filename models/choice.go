package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Choice is one answer to a question (table polls_choice).
type Choice struct {
	ID         int64
	QuestionID int64  `gorm:"column:question_id"`
	ChoiceText string `gorm:"column:choice_text"`
	Votes      int64  `gorm:"column:votes"`
}

// TableName is Django's name for the table, unqualified.
func (Choice) TableName() string { return "polls_choice" }

// Vote adds one vote to a choice of a published question in a single atomic
// UPDATE (never read-modify-write, so concurrent votes are all counted). It
// returns ErrNotFound when the choice does not exist, belongs to another
// question, or its question is not published at now. Hand-written SQL through
// GORM's Exec, as the public pages' reads (see LatestQuestions): every vote
// runs it.
func Vote(tx *gorm.DB, questionID, choiceID int64, now time.Time) error {
	res := tx.Exec(`UPDATE polls_choice SET votes = votes + 1 WHERE id = ? AND question_id = ?
		AND EXISTS (SELECT 1 FROM polls_question WHERE id = ? AND pub_date <= ?)`, choiceID, questionID, questionID, now)
	if res.Error != nil {
		return fmt.Errorf("vote for choice %d: %w", choiceID, translate(res.Error))
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("vote for choice %d of question %d: %w", choiceID, questionID, ErrNotFound)
	}
	return nil
}
