package admin

import (
	"github.com/labstack/echo/v4"

	"polls/app/i18n"
	"polls/app/webctx"
	"polls/models"
)

// deletePage is the data of admin/delete_confirmation: what will go, and the
// form that makes it go.
type deletePage struct {
	base
	Prompt     string
	Objects    []deletedObject
	Summary    []summaryItem
	Hidden     []HiddenField
	FormAction string
	CancelURL  string
}

type deletedObject struct {
	Label, URL string
	Children   []deletedObject
}

type summaryItem struct {
	Label string
	Count int
}

// questionsToDelete lists questions with their choices, as Django lists what a
// deletion takes with it.
func questionsToDelete(z i18n.Localizer, qs []models.Question) ([]deletedObject, []summaryItem) {
	var objs []deletedObject
	choices := 0
	for _, q := range qs {
		o := deletedObject{Label: z.T("Question: %s", q.QuestionText), URL: questionChangeURL(q.ID)}
		for _, ch := range q.Choices {
			o.Children = append(o.Children, deletedObject{Label: z.T("Choice: %s", ch.ChoiceText)})
		}
		choices += len(q.Choices)
		objs = append(objs, o)
	}
	return objs, []summaryItem{{"Questions", len(qs)}, {"Choices", choices}}
}

// logDeletions records each deleted question in the admin log.
func (h *Handler) logDeletions(c echo.Context, r *webctx.Request, qs []models.Question) error {
	for _, q := range qs {
		if err := h.logAction(c, r, models.ActionDeletion, ctQuestion, q.ID, q.QuestionText, ""); err != nil {
			return err
		}
	}
	return nil
}

// parseIDs reads the selected rows' ids, ignoring anything that is not one.
func parseIDs(values []string) []int64 {
	seen := map[int64]bool{}
	var ids []int64
	for _, v := range values {
		id, ok := webctx.ParseID(v)
		if !ok || seen[id] {
			continue
		}
		seen[id] = true
		ids = append(ids, id)
	}
	return ids
}
