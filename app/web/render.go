package web

import (
	"io"

	"github.com/labstack/echo/v4"

	"polls/views"
)

// renderer adapts views.Set to echo's Renderer.
type renderer struct{ views *views.Set }

func (r renderer) Render(w io.Writer, name string, data any, _ echo.Context) error {
	return r.views.Render(w, name, data)
}
