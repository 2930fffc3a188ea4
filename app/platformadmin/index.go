package platformadmin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"polls/app/admin"
	"polls/app/webctx"
)

// indexPage is the data of platform/index.
type indexPage struct {
	admin.Base
	TenantsURL string
	AddURL     string
	Recent     []action
}

// index is /admin/: the tenants, and what every platform user did lately.
func (h *Handler) index(c echo.Context, r *webctx.Request) error {
	b, err := h.admin.Page(c, r, "Platform administration")
	if err != nil {
		return err
	}
	recent, err := h.recentActions(r, "", 15)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "platform/index", indexPage{Base: b, TenantsURL: pathTenants, AddURL: pathTenantAdd, Recent: recent})
}
