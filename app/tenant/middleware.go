package tenant

import (
	"database/sql"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"polls/app/database"
	"polls/app/webctx"
)

// Middleware scopes every request to the tenant its Host header names.
type Middleware struct {
	Resolver *Resolver
	SQL      *sql.DB  // the pool transactions are taken from
	Gorm     *gorm.DB // the unscoped GORM handle scoped copies are made from
	// Isolation says whether transactions switch to the tenant's role.
	Isolation Isolation
}

// maxAttempts bounds how often one request is run again after a stale cached
// plan: each attempt clears at least one stale statement from the connection.
const maxAttempts = 5

// Handle resolves the tenant (only ever from the Host header), runs the handler
// in the tenant's transaction with its response held back, commits, and only
// then sends the response. Any error rolls back and goes to the error handler.
// A query refused because a cached plan went stale while tenants are migrated
// one by one (database.IsStalePlan) is not the visitor's problem: the work was
// rolled back and nothing was sent, so the request is simply run again.
func (m *Middleware) Handle(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		site, err := m.Resolver.Resolve(c.Request().Context(), c.Request().Host)
		if err != nil {
			return err
		}
		webctx.SetSite(c, webctx.Site{Name: site.Name, Schema: site.Schema})
		role := ""
		if m.Isolation != IsolationSearchPath {
			role = site.Role
		}
		for attempt := 1; ; attempt++ {
			err = m.serveOnce(c, next, site.Schema, role)
			if attempt == maxAttempts || !database.IsStalePlan(err) {
				return err
			}
		}
	}
}

// serveOnce runs next once in a new tenant transaction.
func (m *Middleware) serveOnce(c echo.Context, next echo.HandlerFunc, schema, role string) error {
	ctx := c.Request().Context()
	tx, err := BeginAs(ctx, m.SQL, schema, role)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	webctx.SetDB(c, tx.Gorm(ctx, m.Gorm))

	orig := c.Response()
	held := newBufferedResponse()
	c.SetResponse(echo.NewResponse(held, c.Echo()))
	defer c.SetResponse(orig) // also when the handler panics
	err = next(c)
	c.SetResponse(orig)
	if scopeErr := tx.ScopeErr(); scopeErr != nil {
		return scopeErr // the handler's own error can only be "transaction aborted"
	}
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	return held.sendTo(orig)
}
