package platformadmin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/admin"
	"polls/app/tenant"
	"polls/app/webctx"
	"polls/models"
)

// slowTimeout bounds the work that outlives the request's budget: an
// export, and a deletion (which goes on when the browser leaves: taking
// the tenant off every server, tenant.RoutedTimeout at most, the archive,
// and the drops).
const slowTimeout = 5 * time.Minute

// errArchive marks a failure to write the archive: then nothing is deleted.
var errArchive = errors.New("the archive could not be written")

// deletePage is the data of platform/tenant_delete.
type deletePage struct {
	admin.Base
	T          tenant.Listed
	Tables     []tenant.TableRows
	Rows       int64
	CountsNote string
	FormAction string
	CancelURL  string
}

// deleteForm lists what deleting the tenant takes: its schema and role, its
// domains, and the rows of each of its tables.
func (h *Handler) deleteForm(c echo.Context, r *webctx.Request) error {
	t, err := h.find(c, r)
	if err != nil {
		return err
	}
	tables, err := tenant.Contents(ctxOf(r), h.db, t.Record)
	countsNote := ""
	if err != nil && t.State == tenant.StateUnrouted {
		// Stopped midway through its creation or deletion: its schema may
		// be partial or gone, and deleting it is how it is cleared.
		tables, countsNote = nil, "Its tables cannot be counted: it was stopped midway through its creation or deletion."
	} else if err != nil {
		return err
	}
	b, err := h.admin.Page(c, r, "Delete tenant "+quoted(t.Schema), admin.Crumb{Label: "Tenants", URL: pathTenants},
		admin.Crumb{Label: t.Schema, URL: tenantURL(pathTenant, t.Schema)}, admin.Crumb{Label: "Delete"})
	if err != nil {
		return err
	}
	p := deletePage{Base: b, T: t, Tables: tables, CountsNote: countsNote, FormAction: tenantURL(pathTenantDelete, t.Schema), CancelURL: tenantURL(pathTenant, t.Schema)}
	for _, tb := range tables {
		p.Rows += tb.Rows
	}
	return c.Render(http.StatusOK, "platform/tenant_delete", p)
}

// deleteTenant deletes the tenant as `polls deletetenant` does
// (tenant.DeleteAfter): off every server first, then, when the archive was
// asked for, the archive written to a temporary file (nothing is deleted if
// that fails), then the drops. The archive is then the response, a
// download. The request's connection is given back first (Checkpoint):
// none is held while every server reloads its routes.
func (h *Handler) deleteTenant(c echo.Context, r *webctx.Request) error {
	t, err := h.find(c, r)
	if err != nil {
		return err
	}
	ctx := ctxOf(r)
	if err := r.Checkpoint(ctx); err != nil {
		return err
	}
	// The deletion finishes even if the browser goes: stopped midway, the
	// tenant would stay unrouted until someone deleted it again.
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), slowTimeout)
	defer cancel()
	var archive *os.File
	var last func(context.Context) error
	if c.FormValue("archive") != "" {
		f, done, err := tempArchive(t.Schema)
		if err != nil {
			return err
		}
		defer done()
		archive = f
		// Exported once no server routes it, so no request changes it meanwhile.
		last = func(ctx context.Context) error {
			if _, err := tenant.Export(ctx, h.db, t.Record, archive); err != nil {
				return fmt.Errorf("%w: %w", errArchive, err)
			}
			return nil
		}
	}
	err = tenant.DeleteAfter(dctx, h.db, t.Schema, last)
	switch {
	case errors.Is(err, tenant.ErrNoSuchTenant):
		return echo.ErrNotFound
	case errors.Is(err, errArchive):
		h.log.Warn("tenant not deleted: its archive failed", "tenant", t.Schema, "err", err)
		return refuse(c, r, t, "The tenant "+quoted(t.Schema)+" was not deleted: its archive could not be written. Nothing was deleted.")
	case err != nil:
		return err
	}
	if err := h.logAction(c, r, models.ActionDeletion, t.Schema, repr(t), "Deleted."); err != nil {
		return err
	}
	if archive == nil {
		return admin.RedirectWith(c, r, pathTenants, "success", "The tenant "+quoted(t.Schema)+" was deleted successfully.")
	}
	return h.sendArchive(c, t.Schema, archive)
}
