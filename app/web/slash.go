package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// appendSlash answers what no route matched, inside the tenant group: a GET or
// HEAD for a path that exists with a trailing slash is redirected there
// (Django's APPEND_SLASH, so /polls/1 reaches /polls/1/); anything else is 404.
func appendSlash(e *echo.Echo) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		path := req.URL.Path
		if (req.Method != http.MethodGet && req.Method != http.MethodHead) || strings.HasSuffix(path, "/") {
			return echo.ErrNotFound
		}
		probe := e.NewContext(req, nil)
		e.Router().Find(http.MethodGet, path+"/", probe)
		if p := probe.Path(); p == "" || strings.HasSuffix(p, "/*") {
			return echo.ErrNotFound
		}
		target := path + "/"
		if req.URL.RawQuery != "" {
			target += "?" + req.URL.RawQuery
		}
		return c.Redirect(http.StatusMovedPermanently, target)
	}
}
