package platformadmin

import (
	"errors"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"polls/app/admin"
	"polls/app/tenant"
	"polls/app/webctx"
	"polls/models"
)

// rename gives the tenant a new schema name, as `polls renametenant` does:
// schema, role and registry row in one transaction, served under the new
// name at once. Its log entries keep the name they were made under.
func (h *Handler) rename(c echo.Context, r *webctx.Request) error {
	t, err := h.find(c, r)
	if err != nil {
		return err
	}
	to := strings.TrimSpace(c.FormValue("to"))
	if err := tenant.ValidateSchema(to); err != nil {
		return refuse(c, r, t, "New schema: "+capital(err.Error())+".")
	}
	if to == t.Schema {
		return refuse(c, r, t, "New schema: the tenant already has that name.")
	}
	err = tenant.Rename(ctxOf(r), h.db, h.provisioner.Roles, t.Schema, to)
	var exists *tenant.ExistsError
	if errors.As(err, &exists) {
		return refuse(c, r, t, "New schema: "+capital(err.Error())+".")
	}
	if err != nil {
		return notFound(err)
	}
	msg := "Renamed from " + t.Schema + "."
	renamed := t
	renamed.Schema = to
	if err := h.logAction(c, r, models.ActionChange, to, repr(renamed), msg); err != nil {
		return err
	}
	return admin.RedirectWith(c, r, tenantURL(pathTenant, to), "success", "The tenant "+quoted(to)+": "+msg)
}

// clone makes a new tenant with the structure of this one (and with its
// rows, when asked), as `polls clonetenant` does.
func (h *Handler) clone(c echo.Context, r *webctx.Request) error {
	t, err := h.find(c, r)
	if err != nil {
		return err
	}
	errs := map[string][]string{}
	nt := newTenant(strings.TrimSpace(c.FormValue("schema")), strings.TrimSpace(c.FormValue("domain")),
		strings.TrimSpace(c.FormValue("name")), "", false, errs)
	withData := c.FormValue("with_data") != ""
	if len(errs) == 0 {
		// No connection of the request waits idle on the copy.
		if err := r.Checkpoint(ctxOf(r)); err != nil {
			return err
		}
		err := h.provisioner.Clone(ctxOf(r), t.Schema, nt, withData)
		var exists *tenant.ExistsError
		if errors.As(err, &exists) {
			errs["clone"] = []string{capital(err.Error()) + "."}
		} else if err != nil {
			return notFound(err)
		}
	}
	if len(errs) > 0 {
		return refuse(c, r, t, "Clone: "+joinErrors(errs))
	}
	msg := "Cloned from " + t.Schema + ", structure only."
	if withData {
		msg = "Cloned from " + t.Schema + ", with its data."
	}
	clone := tenant.Listed{Record: tenant.Record{Schema: nt.Schema, Domains: []tenant.Domain{{Name: nt.Domain, Primary: true}}}}
	if err := h.logAction(c, r, models.ActionAddition, nt.Schema, repr(clone), msg); err != nil {
		return err
	}
	return admin.RedirectWith(c, r, tenantURL(pathTenant, nt.Schema), "success", "The tenant "+quoted(nt.Schema)+": "+msg)
}

// joinErrors is a form's errors in one line, by field.
func joinErrors(errs map[string][]string) string {
	fields := make([]string, 0, len(errs))
	for f := range errs {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	var parts []string
	for _, f := range fields {
		parts = append(parts, errs[f]...)
	}
	return strings.Join(parts, " ")
}
