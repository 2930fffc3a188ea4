package public

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/views"
)

// features is what the landing page says the service does, each true of
// this code: one line each.
var features = []string{
	"Your own site at your own address, with the polls your visitors vote on.",
	"An administration site for your team: questions, choices, users and a log of every change.",
	"Your data in a database schema of its own, which PostgreSQL itself keeps apart from every other site.",
	"Django's password rules and throttled logins keep your admin safe.",
	"Ready in a second, free for a trial: no card, no installation.",
}

// landingPage is the data of public/landing: the presentation and the
// sign-up form, empty or as posted with its errors.
type landingPage struct {
	views.Page
	MainDomain string
	Features   []string
	TrialDays  int64
	Form       signupForm
	Errors     fieldErrors
	FormError  string // above the form: why nothing was checked (rate limit)
}

// ErrorCount is the number of messages the form shows by its fields.
func (p landingPage) ErrorCount() int64 {
	n := 0
	for _, msgs := range p.Errors {
		n += len(msgs)
	}
	return int64(n)
}

func (h *Handler) page(r *webctx.Request, form signupForm) landingPage {
	return landingPage{
		Page:       views.Page{Title: "Polls for every team", CSRF: r.CSRF},
		MainDomain: h.d.MainDomain, Features: features, TrialDays: int64(h.d.TrialDays),
		Form: form, Errors: fieldErrors{},
	}
}

// landing shows what the service is and the sign-up form. It sends no
// query: the page is the same for everyone.
func (h *Handler) landing(c echo.Context, r *webctx.Request) error {
	return c.Render(http.StatusOK, "public/landing", h.page(r, signupForm{}))
}
