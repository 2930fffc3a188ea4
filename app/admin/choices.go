package admin

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
)

// choiceList lists every choice with its question; a choice is edited inline
// on its question's page, where its link leads.
func (h *Handler) choiceList(c echo.Context, r *webctx.Request) error {
	q := listQuery(c.QueryParams())
	b, err := h.page(c, r, "Select choice to change", crumbPolls, crumb{Label: "Choices"})
	if err != nil {
		return err
	}
	db := r.DB
	want := requestedPage(q)
	rows, total, err := models.AdminChoices(db, (want-1)*perPage, perPage)
	if err != nil {
		return err
	}
	cur, pages := paginate(q, pathChoices, total)
	if cur != want {
		if rows, total, err = models.AdminChoices(db, (cur-1)*perPage, perPage); err != nil {
			return err
		}
	}
	p := ChangeList{
		Base: b, Heading: "Select choice to change",
		Columns: []Column{{Label: "Choice text"}, {Label: "Question"}, {Label: "Votes"}},
		Pages:   pages, Count: tr(r).T("%d choice", total),
	}
	for _, ch := range rows {
		p.Rows = append(p.Rows, Row{ID: ch.ID, Cells: []Cell{
			{Text: ch.ChoiceText, URL: questionChangeURL(ch.QuestionID)},
			{Text: ch.QuestionText},
			{Text: strconv.FormatInt(ch.Votes, 10)},
		}})
	}
	return c.Render(http.StatusOK, "admin/change_list", p)
}
