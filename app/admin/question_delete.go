package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
)

const (
	msgNoSelection = "Items must be selected in order to perform actions on them. No items have been changed."
	msgNoAction    = "No action selected."
)

// questionAction runs the change list's action on the selected rows. The only
// action is Django's "Delete selected": the first POST shows what would be
// deleted, the second (with post=yes) deletes it.
func (h *Handler) questionAction(c echo.Context, r *webctx.Request) error {
	form, err := formOf(c)
	if err != nil {
		return err
	}
	back := c.Request().URL.RequestURI()
	if form.Get("action") != "delete_selected" {
		return redirectWith(c, r, back, "warning", msgNoAction)
	}
	db := r.DB
	qs, err := models.QuestionsWithChoices(db, parseIDs(form["_selected_action"]))
	if err != nil {
		return err
	}
	if len(qs) == 0 {
		return redirectWith(c, r, back, "warning", msgNoSelection)
	}
	ids := make([]int64, len(qs))
	for i, q := range qs {
		ids[i] = q.ID
	}
	if form.Get("post") == "yes" {
		n, err := models.DeleteQuestions(db, ids)
		if err != nil {
			return err
		}
		if err := h.logDeletions(c, r, qs); err != nil {
			return err
		}
		return redirectWith(c, r, back, "success", tr(r).T("Successfully deleted %d question.", n))
	}

	b, err := h.page(c, r, "Delete multiple objects", crumbPolls, crumbQuestions, crumb{Label: "Delete multiple objects"})
	if err != nil {
		return err
	}
	p := deletePage{
		base:       b,
		Prompt:     "Are you sure you want to delete the selected questions? All of the following objects and their related items will be deleted:",
		FormAction: back, CancelURL: back,
		Hidden: []HiddenField{{"action", "delete_selected"}, {"post", "yes"}},
	}
	p.Objects, p.Summary = questionsToDelete(tr(r), qs)
	for _, id := range ids {
		p.Hidden = append(p.Hidden, HiddenField{"_selected_action", itoa(id)})
	}
	return c.Render(http.StatusOK, "admin/delete_confirmation", p)
}

// questionDeleteForm asks for confirmation before deleting one question.
func (h *Handler) questionDeleteForm(c echo.Context, r *webctx.Request) error {
	q, err := loadFromPath(c, r, models.QuestionWithChoices)
	if err != nil {
		return err
	}
	id := q.ID
	b, err := h.page(c, r, "Are you sure?", crumbPolls, crumbQuestions,
		crumb{q.QuestionText, questionChangeURL(id)}, crumb{Label: "Delete"})
	if err != nil {
		return err
	}
	p := deletePage{
		base:       b,
		Prompt:     tr(r).T("Are you sure you want to delete the question “%s”? All of the following related items will be deleted:", q.QuestionText),
		FormAction: c.Request().URL.Path, CancelURL: questionChangeURL(id),
		Hidden: []HiddenField{{"post", "yes"}},
	}
	p.Objects, p.Summary = questionsToDelete(tr(r), []models.Question{q})
	return c.Render(http.StatusOK, "admin/delete_confirmation", p)
}

// questionDelete deletes one question, its choices with it.
func (h *Handler) questionDelete(c echo.Context, r *webctx.Request) error {
	q, err := loadFromPath(c, r, models.QuestionWithChoices)
	if err != nil {
		return err
	}
	id := q.ID
	db := r.DB
	if _, err := models.DeleteQuestions(db, []int64{id}); err != nil {
		return err
	}
	if err := h.logDeletions(c, r, []models.Question{q}); err != nil {
		return err
	}
	return redirectWith(c, r, pathQuestions, "success", tr(r).T("The question “%s” was deleted successfully.", q.QuestionText))
}
