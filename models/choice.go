package models

import (
	"fmt"

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

// Vote adds one vote to a choice of a question in a single atomic UPDATE (never
// read-modify-write, so concurrent votes are all counted). It returns
// ErrNotFound when the choice does not exist or belongs to another question.
func Vote(tx *gorm.DB, questionID, choiceID int64) error {
	res := tx.Model(&Choice{}).Where("id = ? AND question_id = ?", choiceID, questionID).
		UpdateColumn("votes", gorm.Expr("votes + 1"))
	if res.Error != nil {
		return fmt.Errorf("vote for choice %d: %w", choiceID, translate(res.Error))
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("vote for choice %d of question %d: %w", choiceID, questionID, ErrNotFound)
	}
	return nil
}
