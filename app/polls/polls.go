// Package polls is the Django tutorial's polls app: the index of the latest
// questions, a question's voting form, the vote itself and the results. It knows
// nothing of tenancy: every handler works on the database handle the request
// carries (webctx.DB), which is already scoped to the site the visitor is on.
package polls

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/views"
)

// Route names, as the tutorial's {% url 'polls:detail' %} names them; handlers
// build links with echo's Reverse so that URLs are written once, in Register.
const (
	RouteIndex   = "polls.index"
	RouteDetail  = "polls.detail"
	RouteVote    = "polls.vote"
	RouteResults = "polls.results"
)

// Handlers serves the polls pages.
type Handlers struct {
	// Now is the clock that decides which questions are published yet; nil
	// means time.Now. Tests may fix it.
	Now func() time.Time
}

// Register mounts the polls pages on g at the tutorial's URLs (its
// polls/urls.py). Pages answer HEAD as well as GET, as Django's views do.
func Register(g *echo.Group, h *Handlers) {
	get(g, "/polls/", RouteIndex, h.Index)
	get(g, "/polls/:id/", RouteDetail, h.Detail)
	get(g, "/polls/:id/results/", RouteResults, h.Results)
	g.POST("/polls/:id/vote/", h.Vote).Name = RouteVote
}

func get(g *echo.Group, path, name string, h echo.HandlerFunc) {
	for _, r := range g.Match([]string{http.MethodGet, http.MethodHead}, path, h) {
		r.Name = name
	}
}

func (h *Handlers) now() time.Time {
	if h.Now == nil {
		return time.Now()
	}
	return h.Now()
}

// page returns the layout data every polls page shares: its title, the name of
// the site the visitor is on, and the CSRF token for forms.
func page(c echo.Context, title string) views.Page {
	site, _ := webctx.SiteOf(c)
	return views.Page{Title: title, SiteName: site.Name, CSRF: webctx.CSRF(c)}
}
