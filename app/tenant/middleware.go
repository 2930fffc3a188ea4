package tenant

import (
	"database/sql"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

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

// Handle resolves the tenant (only ever from the Host header), runs the handler
// in the tenant's transaction with its response held back, commits, and only
// then sends the response. Any error rolls back and goes to the error handler.
func (m *Middleware) Handle(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		site, err := m.Resolver.Resolve(ctx, c.Request().Host)
		if err != nil {
			return err
		}
		webctx.SetSite(c, webctx.Site{Name: site.Name, Schema: site.Schema})
		role := ""
		if m.Isolation != IsolationSearchPath {
			role = site.Role
		}
		tx, err := BeginAs(ctx, m.SQL, site.Schema, role)
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
		if err != nil {
			return err
		}
		if err := tx.Commit(ctx); err != nil {
			return err
		}
		return held.sendTo(orig)
	}
}
