package polls

import (
	"fmt"
	"strconv"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
)

// question loads the published question the URL's :id names, with its choices.
// A missing, future or malformed id is a 404, like Django's get_object_or_404.
func (h *Handlers) question(c echo.Context, r *webctx.Request) (models.Question, error) {
	id, ok := parseID(c.Param("id"))
	if !ok {
		return models.Question{}, fmt.Errorf("question id %q: %w", c.Param("id"), models.ErrNotFound)
	}
	return models.PublishedQuestion(r.DB, id, h.now())
}

// parseID accepts what Django's <int:...> path converter accepts: one or more
// ASCII digits (no sign, no spaces), and a value that fits an int64.
func parseID(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil
}
