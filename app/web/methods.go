package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
)

// standardMethods are the methods a wrong-method request is recognised by.
var standardMethods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
	http.MethodPatch, http.MethodDelete, http.MethodOptions, http.MethodTrace,
}

// answerWrongMethods makes every registered path answer a standard method it
// does not serve with 405 Method Not Allowed and an Allow header (OPTIONS gets
// 204 and the header). Echo's router would answer 404 instead: the catch-all
// that the site group registers, so that unknown paths still run the tenant
// middleware, wins over the router's own 405. The 405 routes are added on e,
// outside the group, so a wrong method is refused before any tenant lookup or
// CSRF check and never touches the database. Call it after every route is added.
func answerWrongMethods(e *echo.Echo) {
	served := map[string][]string{}
	for _, r := range e.Routes() {
		if r.Method != echo.RouteNotFound {
			served[r.Path] = append(served[r.Path], r.Method)
		}
	}
	for path, methods := range served {
		slices.Sort(methods)
		methods = slices.Compact(methods)
		h := wrongMethod(strings.Join(methods, ", "))
		for _, m := range standardMethods {
			if !slices.Contains(methods, m) {
				e.Add(m, path, h)
			}
		}
	}
}

func wrongMethod(allow string) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderAllow, allow)
		if c.Request().Method == http.MethodOptions {
			return c.NoContent(http.StatusNoContent)
		}
		return echo.ErrMethodNotAllowed
	}
}
