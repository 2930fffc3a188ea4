// Package polls is the Django tutorial's polls app: the index of the latest
// questions, a question's voting form, the vote itself and the results. It knows
// nothing of tenancy: every handler works on the database handle it receives
// (webctx.Request.DB), which is already scoped to the site the visitor is on.
package polls

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/i18n"
	"polls/app/webctx"
	"polls/views"
)

// Route names, as the tutorial's {% url 'polls:detail' %} names them.
const (
	RouteIndex   = "polls.index"
	RouteDetail  = "polls.detail"
	RouteVote    = "polls.vote"
	RouteResults = "polls.results"
)

// The tutorial's URLs, written once: Register mounts them and link fills them
// in (echo's Reverse would scan every route of the application per link).
const (
	pathIndex   = "/polls/"
	pathDetail  = "/polls/:id/"
	pathVote    = "/polls/:id/vote/"
	pathResults = "/polls/:id/results/"
)

// link returns path with its :id filled in.
func link(path string, id int64) string {
	return strings.Replace(path, ":id", strconv.FormatInt(id, 10), 1)
}

// Handlers serves the polls pages.
type Handlers struct {
	// Now is the clock that decides which questions are published yet; nil
	// means time.Now. Tests may fix it.
	Now func() time.Time
}

// Register mounts the polls pages on g at the tutorial's URLs (its
// polls/urls.py). Pages answer HEAD as well as GET, as Django's views do;
// they only read (webctx.HandleReadOnly): PostgreSQL refuses a write in them.
func Register(g *echo.Group, h *Handlers) {
	get(g, pathIndex, RouteIndex, h.Index)
	get(g, pathDetail, RouteDetail, h.Detail)
	get(g, pathResults, RouteResults, h.Results)
	g.POST(pathVote, webctx.Handle(h.Vote)).Name = RouteVote
}

func get(g *echo.Group, path, name string, h webctx.HandlerFunc) {
	for _, r := range g.Match([]string{http.MethodGet, http.MethodHead}, path, webctx.HandleReadOnly(h)) {
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
func page(r *webctx.Request, title string) views.Page {
	return views.Page{Title: title, SiteName: r.Site.Name, CSRF: r.CSRF, Lang: r.Site.Lang}
}

// tr is the Localizer of the request's language: every text of ours shown
// to a visitor goes through its T (see app/i18n).
func tr(r *webctx.Request) i18n.Localizer { return i18n.For(r.Site.Lang) }
