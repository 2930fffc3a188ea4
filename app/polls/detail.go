package polls

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
	"polls/views"
)

// detailPage is the data of views/pages/polls/detail.html.
type detailPage struct {
	views.Page
	Question     models.Question
	VoteURL      string
	ErrorMessage string // set when a vote is sent back, as in the tutorial
}

// Detail shows a question and its voting form (the tutorial's DetailView).
func (h *Handlers) Detail(c echo.Context, r *webctx.Request) error {
	q, err := h.question(c, r)
	if err != nil {
		return err
	}
	return renderDetail(c, r, q, "")
}

// renderDetail renders the voting form of q, with errMsg above the choices
// when a vote was refused.
func renderDetail(c echo.Context, r *webctx.Request, q models.Question, errMsg string) error {
	return c.Render(http.StatusOK, "polls/detail", detailPage{
		Page:         page(r, q.QuestionText),
		Question:     q,
		VoteURL:      link(pathVote, q.ID),
		ErrorMessage: errMsg,
	})
}
