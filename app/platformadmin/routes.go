package platformadmin

import (
	"strings"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
)

// The platform admin's URLs, written once; every link and redirect is
// built from them.
const (
	pathRoot    = "/admin"
	pathIndex   = pathRoot + "/"
	pathTenants = pathRoot + "/tenants/"
	// A hyphen is never in a schema name, so no tenant's page can be this.
	pathTenantAdd     = pathTenants + "add-tenant/"
	pathTenant        = pathTenants + ":schema/"
	pathTenantPlan    = pathTenant + "plan/"
	pathTenantSuspend = pathTenant + "suspend/"
	pathTenantResume  = pathTenant + "resume/"
	pathDomainAdd     = pathTenant + "domains/add/"
	pathDomainRemove  = pathTenant + "domains/remove/"
	pathDomainPrimary = pathTenant + "domains/primary/"
	pathTenantDelete  = pathTenant + "delete/"
	pathTenantExport  = pathTenant + "export/"
	pathTenantRename  = pathTenant + "rename/"
	pathTenantClone   = pathTenant + "clone/"
)

// Mount registers the platform admin under /admin/ on site, the group
// behind the platform lifecycle.
func (h *Handler) Mount(site *echo.Group) {
	h.admin.MountLogin(site)
	g := site.Group(pathRoot)
	guard := h.admin.Guard()
	g.GET(rel(pathIndex), webctx.Handle(h.index), guard...)
	g.GET(rel(pathTenants), webctx.Handle(h.tenantList), guard...)
	g.GET(rel(pathTenantAdd), webctx.Handle(h.addForm), guard...)
	g.POST(rel(pathTenantAdd), webctx.Handle(h.addTenant), guard...)
	g.GET(rel(pathTenant), webctx.Handle(h.tenantPage), guard...)
	g.POST(rel(pathTenantPlan), webctx.Handle(h.changePlan), guard...)
	g.POST(rel(pathTenantSuspend), webctx.Handle(h.suspend), guard...)
	g.POST(rel(pathTenantResume), webctx.Handle(h.resume), guard...)
	g.POST(rel(pathDomainAdd), webctx.Handle(h.addDomain), guard...)
	g.POST(rel(pathDomainRemove), webctx.Handle(h.removeDomain), guard...)
	g.POST(rel(pathDomainPrimary), webctx.Handle(h.makePrimary), guard...)
	g.GET(rel(pathTenantDelete), webctx.Handle(h.deleteForm), guard...)
	g.POST(rel(pathTenantDelete), webctx.Handle(h.deleteTenant), guard...)
	g.POST(rel(pathTenantExport), webctx.Handle(h.export), guard...)
	g.POST(rel(pathTenantRename), webctx.Handle(h.rename), guard...)
	g.POST(rel(pathTenantClone), webctx.Handle(h.clone), guard...)
}

// rel is path within the group Mount registers on.
func rel(path string) string { return strings.TrimPrefix(path, pathRoot) }

// tenantURL is a tenant's page, or one of its pages when path is given.
func tenantURL(path, schema string) string { return strings.Replace(path, ":schema", schema, 1) }
