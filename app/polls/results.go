package polls

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
	"polls/views"
)

// resultsPage is the data of views/pages/polls/results.html.
type resultsPage struct {
	views.Page
	Question   models.Question
	Choices    []choiceResult
	TotalVotes int64
	DetailURL  string
}

// choiceResult is one choice's line and bar on the results page.
type choiceResult struct {
	Text    string
	Votes   int64
	Percent int64 // share of all votes, rounded; the width of the bar
}

// Results shows the votes of each choice of a question, with a bar chart (the
// tutorial's ResultsView).
func (h *Handlers) Results(c echo.Context, r *webctx.Request) error {
	q, err := h.question(c, r)
	if err != nil {
		return err
	}
	choices, total := tally(q.Choices)
	return c.Render(http.StatusOK, "polls/results", resultsPage{
		Page:       page(r, q.QuestionText),
		Question:   q,
		Choices:    choices,
		TotalVotes: total,
		DetailURL:  link(pathDetail, q.ID),
	})
}

// tally returns each choice's share of the votes and the number of votes.
// Shares are rounded to the nearest percent; with no votes all are zero.
func tally(choices []models.Choice) ([]choiceResult, int64) {
	var total int64
	for _, ch := range choices {
		total += ch.Votes
	}
	out := make([]choiceResult, len(choices))
	for i, ch := range choices {
		out[i] = choiceResult{Text: ch.ChoiceText, Votes: ch.Votes}
		if total > 0 {
			out[i].Percent = (ch.Votes*200 + total) / (2 * total)
		}
	}
	return out, total
}
