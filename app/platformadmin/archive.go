package platformadmin

import (
	"context"
	"fmt"
	"net/http"
	"os"

	"github.com/labstack/echo/v4"

	"polls/app/tenant"
	"polls/app/webctx"
	"polls/models"
)

// tempArchive is a temporary file for one tenant's archive, removed by close.
func tempArchive(schema string) (*os.File, func(), error) {
	f, err := os.CreateTemp("", "polls-archive-"+schema+"-*.tar.gz")
	if err != nil {
		return nil, nil, fmt.Errorf("archive %s: %w", schema, err)
	}
	return f, func() { f.Close(); os.Remove(f.Name()) }, nil
}

// sendArchive answers with the archive in f as a download.
func (h *Handler) sendArchive(c echo.Context, schema string, f *os.File) error {
	if _, err := f.Seek(0, 0); err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%s.tar.gz", schema, h.now().UTC().Format("20060102-150405"))
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Stream(http.StatusOK, "application/gzip", f)
}

// export downloads the tenant's archive, as `polls exporttenant` writes it:
// one consistent moment of it, read as its role. The request's connection
// is given back first; the export is bounded by the browser staying, not
// by the request budget, which a large tenant would exceed.
func (h *Handler) export(c echo.Context, r *webctx.Request) error {
	t, err := h.find(c, r)
	if err != nil {
		return err
	}
	if err := r.Checkpoint(ctxOf(r)); err != nil {
		return err
	}
	f, done, err := tempArchive(t.Schema)
	if err != nil {
		return err
	}
	defer done()
	ctx, cancel := context.WithTimeout(c.Request().Context(), slowTimeout)
	defer cancel()
	if _, err := tenant.Export(ctx, h.db, t.Record, f); err != nil {
		return notFound(err)
	}
	// An archive holds the tenant's users' password hashes: who took one is logged.
	if err := h.logAction(c, r, models.ActionChange, t.Schema, repr(t), "Exported."); err != nil {
		return err
	}
	return h.sendArchive(c, t.Schema, f)
}
