package polls

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
	"polls/views"
)

// latestCount is how many questions the index lists, as in the tutorial.
const latestCount = 5

// indexPage is the data of views/pages/polls/index.html.
type indexPage struct {
	views.Page
	Questions []questionLink
}

// questionLink is one entry of the index.
type questionLink struct {
	Text string
	URL  string
}

// Index lists the latest published questions, newest first (the tutorial's
// IndexView). Questions dated in the future stay hidden until their time.
func (h *Handlers) Index(c echo.Context, r *webctx.Request) error {
	qs, err := models.LatestQuestions(r.DB, h.now(), latestCount)
	if err != nil {
		return fmt.Errorf("polls index: %w", err)
	}
	data := indexPage{Page: page(r, tr(r).T("Latest polls")), Questions: make([]questionLink, len(qs))}
	for i, q := range qs {
		data.Questions[i] = questionLink{Text: q.QuestionText, URL: link(pathDetail, q.ID)}
	}
	return c.Render(http.StatusOK, "polls/index", data)
}
