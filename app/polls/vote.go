package polls

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
)

// noChoiceMessage is the tutorial's message for a vote without a valid choice.
const noChoiceMessage = "You didn't select a choice."

// Vote counts one vote for the posted choice of the question, then redirects
// to the results (303, so that reloading the results never votes twice). A
// missing choice, or one that is not a choice of this question, sends the form
// back with the tutorial's message, and nothing is counted.
func (h *Handlers) Vote(c echo.Context) error {
	q, err := h.question(c)
	if err != nil {
		return err
	}
	choiceID, ok := parseID(c.FormValue("choice"))
	if !ok {
		return renderDetail(c, q, noChoiceMessage)
	}
	err = models.Vote(webctx.DB(c), q.ID, choiceID)
	if errors.Is(err, models.ErrNotFound) {
		return renderDetail(c, q, noChoiceMessage)
	}
	if err != nil {
		return fmt.Errorf("vote on question %d: %w", q.ID, err)
	}
	return c.Redirect(http.StatusSeeOther, link(pathResults, q.ID))
}
