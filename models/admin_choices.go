package models

import (
	"encoding/json"
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

// EditChoices applies e to the choices of question questionID in one
// statement, whatever the number of rows (see editChoicesSQL). A choice id
// that is not one of this question's is ErrNotFound, so a tampered form cannot
// reach another question's choices; the caller's transaction then undoes the
// rest. A choice both renamed and deleted is deleted.
func EditChoices(tx *gorm.DB, questionID int64, e ChoiceEdits) error {
	rows := make([]choiceEditRow, 0, len(e.Rename)+len(e.Delete)+len(e.Add))
	deleted := make(map[int64]bool, len(e.Delete))
	for _, id := range e.Delete {
		rows = append(rows, choiceEditRow{ID: &id, Delete: true})
		deleted[id] = true
	}
	renames := 0
	for id, text := range e.Rename {
		if !deleted[id] {
			rows = append(rows, choiceEditRow{ID: &id, Text: text})
			renames++
		}
	}
	for _, text := range e.Add {
		rows = append(rows, choiceEditRow{Text: text})
	}
	if len(rows) == 0 {
		return nil
	}
	js, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("encode choice edits of question %d: %w", questionID, err)
	}
	var n struct{ Renamed, Deleted, Added int }
	if err := tx.Raw(editChoicesSQL, string(js), questionID, questionID, questionID).Scan(&n).Error; err != nil {
		return fmt.Errorf("edit choices of question %d: %w", questionID, translate(err))
	}
	if n.Renamed != renames || n.Deleted != len(e.Delete) || n.Added != len(e.Add) {
		return fmt.Errorf("edit choices of question %d: %d renamed, %d deleted, %d added of %d, %d, %d: %w",
			questionID, n.Renamed, n.Deleted, n.Added, renames, len(e.Delete), len(e.Add), ErrNotFound)
	}
	return nil
}

// choiceEditRow is one element of editChoicesSQL's JSON array: a rename (ID
// and Text), a deletion (ID and Delete) or a new choice (Text alone).
type choiceEditRow struct {
	ID     *int64 `json:"id"`
	Text   string `json:"text"`
	Delete bool   `json:"delete"`
}

// editChoicesSQL renames, deletes and adds a question's choices in one
// statement from one JSON array, rather than a statement per row: a form of
// many rows costs one round trip, and the text never changes with the number
// of rows, so it is prepared once per connection rather than once per count.
// New choices are inserted in the array's order, so their ids follow it.
// Parameters: the array (as text), then the question's id three times.
const editChoicesSQL = `
WITH edit AS (
	SELECT (e->>'id')::bigint AS id, e->>'text' AS text, (e->>'delete')::boolean AS del, n
	FROM jsonb_array_elements(?::text::jsonb) WITH ORDINALITY AS r(e, n)
), renamed AS (
	UPDATE polls_choice AS c SET choice_text = edit.text FROM edit
	WHERE c.id = edit.id AND NOT edit.del AND c.question_id = ?
	RETURNING c.id
), deleted AS (
	DELETE FROM polls_choice AS c USING edit
	WHERE c.id = edit.id AND edit.del AND c.question_id = ?
	RETURNING c.id
), added AS (
	INSERT INTO polls_choice (question_id, choice_text, votes)
	SELECT ?::bigint, text, 0 FROM edit WHERE id IS NULL ORDER BY n
	RETURNING id
)
SELECT (SELECT count(*) FROM renamed) AS renamed,
	(SELECT count(*) FROM deleted) AS deleted,
	(SELECT count(*) FROM added) AS added`
