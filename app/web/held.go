package web

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"polls/app/tenant"
	"polls/app/webctx"
)

// heldResponse runs a handler as tenant.Work with its response held in
// memory: each run writes to a fresh buffer (a re-run discards the last
// one's), and send writes the last one out once the transaction committed.
type heldResponse struct {
	c    echo.Context
	r    *webctx.Request
	next echo.HandlerFunc
	orig *echo.Response
	buf  *bufferedResponse
}

// holdResponse prepares next to be run by tenant.Runner for c, with r's
// database handle set at each run.
func holdResponse(c echo.Context, r *webctx.Request, next echo.HandlerFunc) *heldResponse {
	return &heldResponse{c: c, r: r, next: next, orig: c.Response()}
}

// work is the tenant.Work that runs the handler once.
func (h *heldResponse) work(db *gorm.DB, checkpoint func(context.Context) error) error {
	h.buf = newBufferedResponse() // a re-run starts from an empty response
	h.c.SetResponse(echo.NewResponse(h.buf, h.c.Echo()))
	h.r.DB, h.r.Checkpoint = db, checkpoint
	h.r.ReadOnly = func() error { return tenant.ReadOnly(db) }
	return h.next(h.c)
}

// restore gives c its real response writer back.
func (h *heldResponse) restore() { h.c.SetResponse(h.orig) }

// send writes the held response to the client, marked private.
func (h *heldResponse) send() error {
	h.restore()
	privatePage(h.buf.header)
	return h.buf.sendTo(h.orig)
}

// withBudget bounds ctx a second past the request's database budget (none
// when zero): PostgreSQL's own timeouts (the budget) end a statement cleanly
// first; this only catches what they miss.
func withBudget(ctx context.Context, budget time.Duration) (context.Context, context.CancelFunc) {
	if budget <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, budget+time.Second)
}
