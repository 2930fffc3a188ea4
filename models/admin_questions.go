package models

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// QuestionQuery is what the admin's question list asks for.
type QuestionQuery struct {
	Search   string     // words that must all appear in the text, case-insensitively (see SearchTerms)
	From, To *time.Time // pub_date in [From, To) when set
	Order    string     // "question_text" or "pub_date"; anything else means newest first
	Desc     bool
	Offset   int
	Limit    int
}

// AdminQuestions returns one page of questions matching q and how many match
// in all.
func AdminQuestions(tx *gorm.DB, q QuestionQuery) ([]Question, int64, error) {
	db := tx.Model(&Question{})
	terms, _ := SearchTerms(q.Search)
	for _, w := range terms {
		db = db.Where("question_text ILIKE ?", "%"+escapeLike(w)+"%")
	}
	if q.From != nil {
		db = db.Where("pub_date >= ?", *q.From)
	}
	if q.To != nil {
		db = db.Where("pub_date < ?", *q.To)
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count questions: %w", translate(err))
	}
	dir := " ASC"
	if q.Desc {
		dir = " DESC"
	}
	switch q.Order {
	case "question_text", "pub_date":
		db = db.Order(q.Order + dir).Order("id" + dir) // a stable order across pages
	default:
		db = db.Order("pub_date DESC, id DESC")
	}
	var qs []Question
	if err := db.Offset(q.Offset).Limit(q.Limit).Find(&qs).Error; err != nil {
		return nil, 0, fmt.Errorf("list questions: %w", translate(err))
	}
	return qs, total, nil
}

// escapeLike makes s match literally inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// QuestionWithChoices returns a question, published or not, with its choices
// in creation order, or ErrNotFound.
func QuestionWithChoices(tx *gorm.DB, id int64) (Question, error) {
	var q Question
	err := tx.Preload("Choices", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Where("id = ?", id).Take(&q).Error
	if err != nil {
		return q, fmt.Errorf("question %d: %w", id, translate(err))
	}
	return q, nil
}

// QuestionsWithChoices returns the questions with these ids that exist, with
// their choices, in id order.
func QuestionsWithChoices(tx *gorm.DB, ids []int64) ([]Question, error) {
	var qs []Question
	err := tx.Preload("Choices", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Where("id IN ?", ids).Order("id").Find(&qs).Error
	if err != nil {
		return nil, fmt.Errorf("questions %v: %w", ids, translate(err))
	}
	return qs, nil
}

// CreateQuestion inserts q, setting its ID, and the texts of its choices
// (whose IDs stay unset). Two statements, whatever the number of choices:
// the choices go in through EditChoices' single statement, not GORM's
// multi-row INSERT, whose text changes with every number of rows.
func CreateQuestion(tx *gorm.DB, q *Question) error {
	if err := tx.Omit("Choices").Create(q).Error; err != nil {
		return fmt.Errorf("create question: %w", translate(err))
	}
	var add []string
	for _, ch := range q.Choices {
		add = append(add, ch.ChoiceText)
	}
	return EditChoices(tx, q.ID, ChoiceEdits{Add: add})
}

// UpdateQuestion writes a question's text and pub_date (not its choices).
func UpdateQuestion(tx *gorm.DB, q Question) error {
	res := tx.Model(&Question{}).Where("id = ?", q.ID).
		UpdateColumns(map[string]any{"question_text": q.QuestionText, "pub_date": q.PubDate})
	if res.Error != nil {
		return fmt.Errorf("update question %d: %w", q.ID, translate(res.Error))
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("update question %d: %w", q.ID, ErrNotFound)
	}
	return nil
}

// DeleteQuestions deletes the questions with these ids; their choices go with
// them (ON DELETE CASCADE).
func DeleteQuestions(tx *gorm.DB, ids []int64) (int64, error) {
	res := tx.Where("id IN ?", ids).Delete(&Question{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete questions %v: %w", ids, translate(res.Error))
	}
	return res.RowsAffected, nil
}
