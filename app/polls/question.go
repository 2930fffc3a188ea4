package polls

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
)

// question loads the published question the URL's :id names, with its choices.
// A missing, future or malformed id is a 404, like Django's get_object_or_404.
func (h *Handlers) question(c echo.Context, r *webctx.Request) (models.Question, error) {
	id, ok := webctx.ParseID(c.Param("id"))
	if !ok {
		return models.Question{}, fmt.Errorf("question id %q: %w", c.Param("id"), models.ErrNotFound)
	}
	return models.PublishedQuestion(r.DB, id, h.now())
}
