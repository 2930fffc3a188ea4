package platformadmin

import (
	"errors"

	"github.com/labstack/echo/v4"

	"polls/app/tenant"
	"polls/app/webctx"
)

// addDomain serves the tenant on one more domain (primary if asked), as
// `polls adddomain` does.
func (h *Handler) addDomain(c echo.Context, r *webctx.Request) error {
	t, err := h.find(c, r)
	if err != nil {
		return err
	}
	d, err := tenant.NormalizeDomain(c.FormValue("domain"))
	if err != nil {
		return refuse(c, r, t, "Domain: "+err.Error())
	}
	primary := c.FormValue("primary") != ""
	err = tenant.AddDomain(ctxOf(r), h.db, t.Schema, d, primary)
	var exists *tenant.ExistsError
	if errors.As(err, &exists) {
		return refuse(c, r, t, "Domain: "+err.Error())
	}
	if err != nil {
		return notFound(err)
	}
	msg := "Added domain " + d + "."
	if primary {
		msg = "Added domain " + d + ", as its primary domain."
	}
	return h.done(c, r, t, msg)
}

// removeDomain stops serving one of the tenant's domains, as `polls
// removedomain` does; its last one stays (delete the tenant instead).
func (h *Handler) removeDomain(c echo.Context, r *webctx.Request) error {
	t, d, ok, err := h.ownDomain(c, r)
	if !ok || err != nil {
		return err
	}
	if len(t.Domains) == 1 {
		return refuse(c, r, t, "Domain "+d+" is the tenant's only domain: add another first, or delete the tenant.")
	}
	if err := tenant.RemoveDomain(ctxOf(r), h.db, d); err != nil {
		return err
	}
	return h.done(c, r, t, "Removed domain "+d+".")
}

// makePrimary makes one of the tenant's domains its primary one.
func (h *Handler) makePrimary(c echo.Context, r *webctx.Request) error {
	t, d, ok, err := h.ownDomain(c, r)
	if !ok || err != nil {
		return err
	}
	if err := tenant.MakePrimary(ctxOf(r), h.db, d); err != nil {
		return err
	}
	return h.done(c, r, t, "Made "+d+" its primary domain.")
}

// ownDomain reads the tenant and the posted domain, which must be one of
// its own: a form can never touch another tenant's domain. When it is not
// (ok false), the response is given already.
func (h *Handler) ownDomain(c echo.Context, r *webctx.Request) (t tenant.Listed, d string, ok bool, err error) {
	if t, err = h.find(c, r); err != nil {
		return t, "", false, err
	}
	d = c.FormValue("domain")
	for _, own := range t.Domains {
		if own.Name == d {
			return t, d, true, nil
		}
	}
	return t, "", false, refuse(c, r, t, "The tenant has no domain "+quoted(d)+" (it may have been removed meanwhile).")
}
