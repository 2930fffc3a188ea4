// Package webctx carries what the tenant layer prepares for a request to the
// handlers that use it: the scoped database handle and the site's name. Handlers
// read these without knowing how (or that) they were scoped.
//
// The rule for every handler behind the tenant lifecycle (app/web/scope.go):
// it may be run more than once for one request, each time in a new
// transaction with the previous one rolled back and its response discarded
// (tenant.Work says when). So a handler's effects go through the DB handle
// only; anything else it changes (memory, files, mail) must survive being
// done twice. And its response is sent only after COMMIT: a handler cannot
// stream.
package webctx

import (
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"
)

const (
	dbKey   = "polls.db"
	siteKey = "polls.site"
)

// Site describes the site a request is for.
type Site struct {
	Name   string // shown to visitors
	Schema string // for logs only; handlers never use it in SQL
}

// SetDB stores the request's database handle.
func SetDB(c echo.Context, db *gorm.DB) { c.Set(dbKey, db) }

// DB returns the request's database handle, already scoped to its site. It
// panics if the route was registered outside the tenant middleware: that is a
// programming error, and failing loudly beats touching the wrong schema.
func DB(c echo.Context) *gorm.DB {
	db, ok := c.Get(dbKey).(*gorm.DB)
	if !ok {
		panic("webctx.DB: route is not behind the tenant middleware")
	}
	return db
}

// SetSite stores the request's site.
func SetSite(c echo.Context, s Site) { c.Set(siteKey, s) }

// SiteOf returns the request's site, if the request has one.
func SiteOf(c echo.Context) (Site, bool) {
	s, ok := c.Get(siteKey).(Site)
	return s, ok
}

const csrfKey = "polls.csrf"

// SetCSRF stores the request's CSRF token.
func SetCSRF(c echo.Context, token string) { c.Set(csrfKey, token) }

// CSRF returns the token forms must post back as csrfmiddlewaretoken.
func CSRF(c echo.Context) string {
	s, _ := c.Get(csrfKey).(string)
	return s
}
