package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
)

// extraChoiceRows is how many blank choice rows a form offers, Django's extra = 3.
const extraChoiceRows = 3

// questionFormPage is the data of admin/question_form, for adding and changing.
type questionFormPage struct {
	base
	Adding       bool
	Action       string
	QuestionText string
	PubDate      string
	Choices      []choiceRow
	Errors       fieldErrors
	ErrorNote    string
	DeleteURL    string
}

func blankRows(rows []choiceRow) []choiceRow {
	for range extraChoiceRows {
		rows = append(rows, choiceRow{})
	}
	return rows
}

// questionAddForm shows an empty question, published now, with blank choices.
func (h *Handler) questionAddForm(c echo.Context, r *webctx.Request) error {
	b, err := h.page(c, r, "Add question", crumbPolls, crumbQuestions, crumb{Label: "Add question"})
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "admin/question_form", questionFormPage{
		base: b, Adding: true, Action: pathQuestionAdd,
		PubDate: dateTimeValue(h.now()), Choices: blankRows(nil),
	})
}

// questionAdd creates a question with its non-blank choices, or shows the form
// again with its errors and saves nothing.
func (h *Handler) questionAdd(c echo.Context, r *webctx.Request) error {
	form, err := formOf(c)
	if err != nil {
		return err
	}
	in, err := readQuestionForm(form, models.Question{})
	if err != nil {
		return err
	}
	if in.errorCount() > 0 {
		b, err := h.page(c, r, "Add question", crumbPolls, crumbQuestions, crumb{Label: "Add question"})
		if err != nil {
			return err
		}
		return c.Render(http.StatusOK, "admin/question_form", questionFormPage{
			base: b, Adding: true, Action: pathQuestionAdd, QuestionText: in.text, PubDate: in.pubDate,
			Choices: in.rows, Errors: in.errs, ErrorNote: errorNote(in.errorCount()),
		})
	}
	q := in.question
	for _, t := range in.edits.Add {
		q.Choices = append(q.Choices, models.Choice{ChoiceText: t})
	}
	if err := models.CreateQuestion(r.DB, &q); err != nil {
		return err
	}
	return h.saved(c, r, form, questionModel, q.ID, q.QuestionText, models.ActionAddition, "")
}

// questionChangeForm shows a question with its choices and their votes.
func (h *Handler) questionChangeForm(c echo.Context, r *webctx.Request) error {
	q, err := loadFromPath(c, r, models.QuestionWithChoices)
	if err != nil {
		return err
	}
	rows := make([]choiceRow, 0, len(q.Choices)+extraChoiceRows)
	for _, ch := range q.Choices {
		rows = append(rows, choiceRow{ID: ch.ID, Text: ch.ChoiceText, Votes: ch.Votes})
	}
	return h.renderChange(c, r, q, questionFormPage{QuestionText: q.QuestionText, PubDate: dateTimeValue(q.PubDate), Choices: blankRows(rows)})
}

// questionChange saves a question and its choice edits, or shows the form
// again with its errors and saves nothing.
func (h *Handler) questionChange(c echo.Context, r *webctx.Request) error {
	old, form, err := loadForChange(c, r, models.QuestionWithChoices)
	if err != nil {
		return err
	}
	id, db := old.ID, r.DB
	in, err := readQuestionForm(form, old)
	if err != nil {
		return err
	}
	if in.errorCount() > 0 {
		return h.renderChange(c, r, old, questionFormPage{QuestionText: in.text, PubDate: in.pubDate,
			Choices: in.rows, Errors: in.errs, ErrorNote: errorNote(in.errorCount())})
	}
	if err := models.UpdateQuestion(db, in.question); err != nil {
		return err
	}
	if err := models.EditChoices(db, id, in.edits); err != nil {
		return err
	}
	return h.saved(c, r, form, questionModel, id, in.question.QuestionText, models.ActionChange, changeMessage(old, in))
}

// renderChange shows the change form of q filled as p says.
func (h *Handler) renderChange(c echo.Context, r *webctx.Request, q models.Question, p questionFormPage) error {
	b, err := h.page(c, r, "Change question", crumbPolls, crumbQuestions, crumb{Label: q.QuestionText})
	if err != nil {
		return err
	}
	p.base, p.Action, p.DeleteURL = b, questionChangeURL(q.ID), link(pathQuestionDelete, q.ID)
	return c.Render(http.StatusOK, "admin/question_form", p)
}
