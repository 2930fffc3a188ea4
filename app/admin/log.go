package admin

import (
	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
)

// logAction records what the logged-in user did, in the request's
// transaction: the entry exists exactly when the change does.
func (h *Handler) logAction(c echo.Context, r *webctx.Request,
	flag int16, contentType string, id int64, repr, msg string) error {
	uid := currentUser(c).ID
	return models.LogAction(r.DB, models.AdminAction{
		ActionTime: h.now(), UserID: &uid, ContentType: contentType,
		ObjectID: itoa(id), ObjectRepr: repr, ActionFlag: flag, ChangeMessage: msg,
	})
}
