// Package migrations embeds the SQL migrations: shared/ builds the registry in the
// public schema, tenant/ builds one tenant's schema and is applied to every tenant.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed shared/*.sql tenant/*.sql
var files embed.FS

// Shared returns the migrations of the public (shared) schema.
func Shared() fs.FS { return sub("shared") }

// Tenant returns the migrations applied to each tenant schema.
func Tenant() fs.FS { return sub("tenant") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the directory is embedded at build time; this cannot fail
	}
	return f
}
