package platformadmin

import (
	"github.com/labstack/echo/v4"

	"polls/app/admin"
	"polls/app/webctx"
	"polls/models"
)

// ctTenant is the log's content type of a tenant; its object id is the
// tenant's schema, which stays readable after the tenant is gone.
const ctTenant = "tenants.tenant"

// logAction records what the logged-in platform user did to a tenant.
func (h *Handler) logAction(c echo.Context, r *webctx.Request, flag int16, schema, repr, msg string) error {
	uid := admin.CurrentUser(c).ID
	return models.LogAction(r.DB, models.AdminAction{
		ActionTime: h.now(), UserID: &uid, ContentType: ctTenant,
		ObjectID: schema, ObjectRepr: repr, ActionFlag: flag, ChangeMessage: msg,
	})
}

// action is one line of a recent actions list: who did what to which
// tenant, and when.
type action struct {
	Who, What, Schema, Repr, When, URL string
	Deleted                            bool
}

// recentActions reads the n newest actions, on one tenant when schema is
// not "".
func (h *Handler) recentActions(r *webctx.Request, schema string, n int) ([]action, error) {
	entries, err := models.ActionLog(r.DB, ctTenant, schema, n)
	if err != nil {
		return nil, err
	}
	out := make([]action, 0, len(entries))
	for _, e := range entries {
		a := action{Who: e.Username, What: e.ChangeMessage, Schema: e.ObjectID, Repr: e.ObjectRepr,
			When: admin.FormatTime(e.ActionTime), Deleted: e.ActionFlag == models.ActionDeletion}
		if a.Who == "" {
			a.Who = "(deleted user)"
		}
		if !a.Deleted {
			a.URL = tenantURL(pathTenant, e.ObjectID)
		}
		out = append(out, a)
	}
	return out, nil
}
