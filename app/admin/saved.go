package admin

import (
	"net/url"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
)

// model names one model's admin pages, as Django's ModelAdmin does: what the
// messages call it, the content type of its log entries, and its URLs.
type model struct {
	name        string // "question", in messages
	contentType string // the admin log's "app.model"
	list, add   string // its list and add pages
	change      string // its change page, with :id
}

var (
	questionModel = model{name: "question", contentType: ctQuestion, list: pathQuestions, add: pathQuestionAdd, change: pathQuestionChange}
	userModel     = model{name: "user", contentType: ctUser, list: pathUsers, add: pathUserAdd, change: pathUserChange}
)

// saved records an object's addition (flag models.ActionAddition) or change
// in the admin log, then goes where the button pressed asks, with Django's
// confirmation: the list, the object again (_continue), or a new form
// (_addanother).
func (h *Handler) saved(c echo.Context, r *webctx.Request, form url.Values, m model, id int64, repr string, flag int16, change string) error {
	verb := "changed"
	if flag == models.ActionAddition {
		verb, change = "added", "Added."
	}
	if err := h.logAction(c, r, flag, m.contentType, id, repr, change); err != nil {
		return err
	}
	// One message per model and verb, so that each language can agree
	// its words with the model's gender; each is a key of the catalogs.
	z := tr(r)
	msg := z.T(msgSaved[m.name+" "+verb], repr)
	to := m.list
	switch {
	case form.Has("_continue"):
		to, msg = link(m.change, id), msg+" "+z.T("You may edit it again below.")
	case form.Has("_addanother"):
		to, msg = m.add, msg+" "+z.T(msgAddAnother[m.name])
	}
	return redirectWith(c, r, to, "success", msg)
}

// msgSaved is Django's confirmation of a save, by model and verb.
var msgSaved = map[string]string{
	"question added":   "The question “%s” was added successfully.",
	"question changed": "The question “%s” was changed successfully.",
	"user added":       "The user “%s” was added successfully.",
	"user changed":     "The user “%s” was changed successfully.",
}

// msgAddAnother is the invitation after "Save and add another", by model.
var msgAddAnother = map[string]string{
	"question": "You may add another question below.",
	"user":     "You may add another user below.",
}
