package platformadmin

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/admin"
	"polls/app/tenant"
	"polls/app/webctx"
	"polls/models"
)

// addPage is the data of platform/tenant_add.
type addPage struct {
	admin.Base
	Schema, Domain, Name, PaidUntil string
	OnTrial                         bool
	Errors                          map[string][]string
	ErrorNote                       string
	Action                          string
}

func (h *Handler) addPageFor(c echo.Context, r *webctx.Request) (addPage, error) {
	b, err := h.admin.Page(c, r, "Add tenant", admin.Crumb{Label: "Tenants", URL: pathTenants}, admin.Crumb{Label: "Add tenant"})
	return addPage{Base: b, Errors: map[string][]string{}, Action: pathTenantAdd}, err
}

// addForm shows the form of a new tenant.
func (h *Handler) addForm(c echo.Context, r *webctx.Request) error {
	p, err := h.addPageFor(c, r)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "platform/tenant_add", p)
}

// addTenant creates a tenant as `polls createtenant` does, through the same
// provisioner: its schema from the template, its role, its domain, all or
// nothing, served at once.
func (h *Handler) addTenant(c echo.Context, r *webctx.Request) error {
	p, err := h.addPageFor(c, r)
	if err != nil {
		return err
	}
	p.Schema, p.Domain = strings.TrimSpace(c.FormValue("schema")), strings.TrimSpace(c.FormValue("domain"))
	p.Name, p.PaidUntil = strings.TrimSpace(c.FormValue("name")), strings.TrimSpace(c.FormValue("paid_until"))
	p.OnTrial = c.FormValue("on_trial") != ""
	nt := newTenant(p.Schema, p.Domain, p.Name, p.PaidUntil, p.OnTrial, p.Errors)
	add := func(field, msg string) { p.Errors[field] = append(p.Errors[field], msg) }
	if len(p.Errors) == 0 {
		// No connection of the request waits idle on the schema's build.
		if err := r.Checkpoint(ctxOf(r)); err != nil {
			return err
		}
		err := h.provisioner.Create(ctxOf(r), nt)
		var exists *tenant.ExistsError
		switch {
		case errors.As(err, &exists) && exists.Taken == tenant.DomainTaken:
			add("domain", capital(err.Error())+".")
		case errors.As(err, &exists):
			add("schema", capital(err.Error())+".")
		case err != nil:
			return err
		}
	}
	if n := len(p.Errors); n > 0 {
		p.ErrorNote = "Please correct the errors below."
		if n == 1 {
			p.ErrorNote = "Please correct the error below."
		}
		return c.Render(http.StatusOK, "platform/tenant_add", p)
	}
	t := tenant.Listed{Record: tenant.Record{Schema: nt.Schema, Domains: []tenant.Domain{{Name: nt.Domain, Primary: true}}}}
	if err := h.logAction(c, r, models.ActionAddition, t.Schema, repr(t), "Added."); err != nil {
		return err
	}
	return admin.RedirectWith(c, r, tenantURL(pathTenant, t.Schema), "success", "The tenant "+quoted(t.Schema)+" was added successfully.")
}

// newTenant checks a new tenant's fields as createtenant's flags are
// checked, adding each problem to errs under its field, and returns it.
func newTenant(schema, domain, name, paidUntil string, onTrial bool, errs map[string][]string) tenant.NewTenant {
	nt := tenant.NewTenant{Schema: schema, Name: name, OnTrial: onTrial}
	add := func(field, msg string) { errs[field] = append(errs[field], msg) }
	if err := tenant.ValidateSchema(schema); err != nil {
		add("schema", capital(err.Error())+".")
	}
	if d, err := tenant.NormalizeDomain(domain); err != nil {
		add("domain", capital(err.Error())+".")
	} else {
		nt.Domain = d
	}
	if msg := textProblem(name, 200); msg != "" {
		add("name", msg)
	}
	if nt.Name == "" {
		nt.Name = nt.Schema // as createtenant
	}
	if paidUntil != "" {
		d, err := time.Parse(time.DateOnly, paidUntil)
		if err != nil {
			add("paid_until", "Enter a valid date, YYYY-MM-DD.")
		} else {
			nt.PaidUntil = &d
		}
	}
	return nt
}

// capital starts a message with a capital letter, as the form's others do.
func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
