package polls

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
)

// Vote counts one vote for the posted choice of the question, then redirects
// to the results (303, so that reloading the results never votes twice). A
// missing choice, or one that is not a choice of this question, sends the form
// back with the tutorial's message, and nothing is counted. A vote that counts
// is one UPDATE, sent with its COMMIT (one round trip); the question is read
// only to send the form back, in a transaction of its own.
func (h *Handlers) Vote(c echo.Context, r *webctx.Request) error {
	questionID, okQuestion := webctx.ParseID(c.Param("id"))
	choiceID, okChoice := webctx.ParseID(c.FormValue("choice"))
	if okQuestion && okChoice {
		if err := r.CommitNext(); err != nil {
			return err
		}
		err := models.Vote(r.DB, questionID, choiceID, h.now())
		if err == nil {
			return c.Redirect(http.StatusSeeOther, link(pathResults, questionID))
		}
		if !errors.Is(err, models.ErrNotFound) {
			return fmt.Errorf("vote on question %d: %w", questionID, err)
		}
	}
	q, err := h.question(c, r) // a 404 when the question is missing or not published
	if err != nil {
		return err
	}
	return renderDetail(c, r, q, tr(r).T("You didn't select a choice."))
}
