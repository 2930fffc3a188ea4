package models

import (
	"fmt"

	"gorm.io/gorm"
)

// ChoiceRow is a choice with its question's text, for the admin's choice list.
type ChoiceRow struct {
	Choice
	QuestionText string
}

// AdminChoices returns one page of choices, by question then creation order,
// and how many there are in all.
func AdminChoices(tx *gorm.DB, offset, limit int) ([]ChoiceRow, int64, error) {
	var total int64
	if err := tx.Model(&Choice{}).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count choices: %w", translate(err))
	}
	var rows []ChoiceRow
	err := tx.Table("polls_choice AS c").
		Select("c.id, c.question_id, c.choice_text, c.votes, q.question_text").
		Joins("JOIN polls_question q ON q.id = c.question_id").
		Order("q.pub_date DESC, q.id DESC, c.id").Offset(offset).Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("list choices: %w", translate(err))
	}
	return rows, total, nil
}

// ChoiceEdits is what the admin's inline choice rows ask to change on one
// question: texts of existing choices, choices to delete, choices to add.
type ChoiceEdits struct {
	Rename map[int64]string
	Delete []int64
	Add    []string
}

// EditChoices applies e to the choices of question questionID. A choice id
// that is not one of this question's is ErrNotFound, so a tampered form cannot
// reach another question's choices.
func EditChoices(tx *gorm.DB, questionID int64, e ChoiceEdits) error {
	for id, text := range e.Rename {
		res := tx.Model(&Choice{}).Where("id = ? AND question_id = ?", id, questionID).
			UpdateColumn("choice_text", text)
		if res.Error != nil {
			return fmt.Errorf("rename choice %d: %w", id, translate(res.Error))
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("rename choice %d of question %d: %w", id, questionID, ErrNotFound)
		}
	}
	if len(e.Delete) > 0 {
		res := tx.Where("id IN ? AND question_id = ?", e.Delete, questionID).Delete(&Choice{})
		if res.Error != nil {
			return fmt.Errorf("delete choices %v: %w", e.Delete, translate(res.Error))
		}
		if res.RowsAffected != int64(len(e.Delete)) {
			return fmt.Errorf("delete choices %v of question %d: %w", e.Delete, questionID, ErrNotFound)
		}
	}
	for _, text := range e.Add {
		c := Choice{QuestionID: questionID, ChoiceText: text}
		if err := tx.Create(&c).Error; err != nil {
			return fmt.Errorf("add choice: %w", translate(err))
		}
	}
	return nil
}
