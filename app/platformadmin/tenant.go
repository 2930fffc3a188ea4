package platformadmin

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"polls/app/admin"
	"polls/app/i18n"
	"polls/app/tenant"
	"polls/app/webctx"
	"polls/models"
)

// tenantPage is the data of platform/tenant.
type tenantPage struct {
	admin.Base
	T         tenant.Listed
	Standing  string // the plan in words
	Size      string
	Version   string
	Created   string
	PaidUntil string      // for the form: YYYY-MM-DD or ""
	Languages []i18n.Lang // the choices of the language select
	Actions   []action
	URLs      map[string]string
}

// find reads the tenant of the URL's :schema through the request's handle;
// one the registry does not have is a page that does not exist.
func (h *Handler) find(c echo.Context, r *webctx.Request) (tenant.Listed, error) {
	t, err := tenant.Inspect(r.DB.Statement.Context, r.DB.Statement.ConnPool, c.Param("schema"), h.needs, h.now())
	if errors.Is(err, tenant.ErrNoSuchTenant) {
		return t, echo.ErrNotFound
	}
	return t, err
}

// tenantPage is /admin/tenants/SCHEMA/: the tenant, its domains, its plan
// and the forms that change them, and what was done to it lately.
func (h *Handler) tenantPage(c echo.Context, r *webctx.Request) error {
	t, err := h.find(c, r)
	if err != nil {
		return err
	}
	b, err := h.admin.Page(c, r, "Tenant "+quoted(t.Schema), admin.Crumb{Label: "Tenants", URL: pathTenants}, admin.Crumb{Label: t.Schema})
	if err != nil {
		return err
	}
	actions, err := h.recentActions(r, t.Schema, 20)
	if err != nil {
		return err
	}
	p := tenantPage{Base: b, T: t, Standing: t.Plan().Describe(h.now()), Size: humanSize(t.Size),
		Version: "not recorded", Created: admin.FormatTime(t.CreatedAt), Actions: actions, URLs: map[string]string{},
		Languages: i18n.Languages}
	if t.Version > 0 {
		p.Version = itoa(t.Version)
	}
	if t.PaidUntil != nil {
		p.PaidUntil = t.PaidUntil.Format(time.DateOnly)
	}
	for name, path := range map[string]string{"plan": pathTenantPlan, "suspend": pathTenantSuspend, "resume": pathTenantResume,
		"add": pathDomainAdd, "remove": pathDomainRemove, "primary": pathDomainPrimary, "delete": pathTenantDelete,
		"export": pathTenantExport, "rename": pathTenantRename, "clone": pathTenantClone} {
		p.URLs[name] = tenantURL(path, t.Schema)
	}
	return c.Render(http.StatusOK, "platform/tenant", p)
}

// done logs what was done to t and goes back to its page saying so.
func (h *Handler) done(c echo.Context, r *webctx.Request, t tenant.Listed, msg string) error {
	if err := h.logAction(c, r, models.ActionChange, t.Schema, repr(t), msg); err != nil {
		return err
	}
	return admin.RedirectWith(c, r, tenantURL(pathTenant, t.Schema), "success", "The tenant "+quoted(t.Schema)+": "+msg)
}

// refuse goes back to t's page with the form's error; nothing was changed.
func refuse(c echo.Context, r *webctx.Request, t tenant.Listed, msg string) error {
	return admin.RedirectWith(c, r, tenantURL(pathTenant, t.Schema), "error", msg)
}

// changePlan saves the plan form: name, paid until (empty: no end), on
// trial, and the language (with whether visitors may pick another), as
// `polls settenant` does.
func (h *Handler) changePlan(c echo.Context, r *webctx.Request) error {
	t, err := h.find(c, r)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(c.FormValue("name"))
	if msg := textProblem(name, 200); msg != "" {
		return refuse(c, r, t, "Name: "+msg)
	}
	onTrial := c.FormValue("on_trial") != ""
	ch := tenant.PlanChange{Name: &name, OnTrial: &onTrial}
	if ch.PaidUntil, ch.ClearPaidUntil, err = parseDate(c.FormValue("paid_until")); err != nil {
		return refuse(c, r, t, err.Error())
	}
	var changed []string
	if name != t.Name {
		changed = append(changed, "name")
	}
	if paidUntil(ch.PaidUntil) != paidUntil(t.PaidUntil) {
		changed = append(changed, "paid until")
	}
	if onTrial != t.OnTrial {
		changed = append(changed, "on trial")
	}
	if v := c.FormValue("language"); v != "" { // a form without the select keeps the language
		lang, err := i18n.Parse(v)
		if err != nil {
			return refuse(c, r, t, "Language: "+err.Error())
		}
		own, anyLang := string(lang), c.FormValue("any_language") != ""
		ch.Language, ch.AnyLanguage = &own, &anyLang
		if own != t.Language.Own {
			changed = append(changed, "language")
		}
		if anyLang != t.Language.Any {
			changed = append(changed, "visitors' languages")
		}
	}
	if len(changed) == 0 {
		return admin.RedirectWith(c, r, tenantURL(pathTenant, t.Schema), "success", "No fields changed.")
	}
	if _, err := tenant.ChangePlan(ctxOf(r), h.db, t.Schema, ch, false, h.now()); err != nil {
		return notFound(err)
	}
	return h.done(c, r, t, "Changed "+strings.Join(changed, ", ")+".")
}

// suspend closes the tenant's public pages and its admin to all but its
// superusers, as `polls suspend` does.
func (h *Handler) suspend(c echo.Context, r *webctx.Request) error {
	t, err := h.find(c, r)
	if err != nil {
		return err
	}
	yes := true
	if _, err := tenant.ChangePlan(ctxOf(r), h.db, t.Schema, tenant.PlanChange{Suspended: &yes}, false, h.now()); err != nil {
		return notFound(err)
	}
	return h.done(c, r, t, "Suspended.")
}

// resume lifts the suspension, with a new paid until date when given, as
// `polls resume` does; one whose date has passed needs a new one.
func (h *Handler) resume(c echo.Context, r *webctx.Request) error {
	t, err := h.find(c, r)
	if err != nil {
		return err
	}
	no := false
	ch := tenant.PlanChange{Suspended: &no}
	if ch.PaidUntil, _, err = parseDate(c.FormValue("paid_until")); err != nil {
		return refuse(c, r, t, err.Error())
	}
	after := t.Plan()
	after.Suspended = false
	if ch.PaidUntil != nil {
		after.PaidUntil = ch.PaidUntil
	}
	if after.SuspendedAt(h.now()) {
		return refuse(c, r, t, "The tenant would stay suspended: it was paid until "+paidUntil(t.PaidUntil)+
			" and is not on trial. Give a new paid until date.")
	}
	if _, err := tenant.ChangePlan(ctxOf(r), h.db, t.Schema, ch, true, h.now()); err != nil {
		return notFound(err)
	}
	msg := "Resumed."
	if ch.PaidUntil != nil {
		msg = "Resumed, paid until " + paidUntil(ch.PaidUntil) + "."
	}
	return h.done(c, r, t, msg)
}

// parseDate reads a date field: YYYY-MM-DD, or empty for none (clear).
func parseDate(v string) (d *time.Time, clear bool, err error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true, nil
	}
	day, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return nil, false, errors.New("Paid until: enter a valid date, YYYY-MM-DD.")
	}
	return &day, false, nil
}

// notFound turns a tenant gone meanwhile into a page that does not exist.
func notFound(err error) error {
	if errors.Is(err, tenant.ErrNoSuchTenant) {
		return echo.ErrNotFound
	}
	return err
}

// repr is how the log names a tenant.
func repr(t tenant.Listed) string {
	if d := t.PrimaryDomain(); d != "" {
		return t.Schema + " (" + d + ")"
	}
	return t.Schema
}

// textProblem checks a text field PostgreSQL must store: no NUL, valid
// UTF-8, at most limit characters.
func textProblem(s string, limit int) string {
	if strings.ContainsRune(s, 0) || !utf8.ValidString(s) {
		return "Null characters are not allowed."
	}
	if n := len([]rune(s)); n > limit {
		return "Ensure this value has at most " + itoa(int64(limit)) + " characters (it has " + itoa(int64(n)) + ")."
	}
	return ""
}

// ctxOf is the request's context as the lifecycle bound it to r.DB.
func ctxOf(r *webctx.Request) context.Context { return r.DB.Statement.Context }
