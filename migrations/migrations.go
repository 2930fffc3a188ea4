// Package migrations embeds the SQL migrations: shared/ builds the registry in the
// public schema, tenant/ builds one tenant's schema and is applied to every tenant.
//
// On a Citus coordinator a tenant migration is sent one statement at a time
// (dbmigrate.Split cuts it at the semicolons outside comments, strings,
// quoted names and dollar bodies) inside one transaction, so a tenant file
// must be one transaction (no CONCURRENTLY), and everything in it must be
// something Citus accepts on a distributed schema. dbmigrate's
// TestUpOneByOneBuildsWhatGolangMigrateBuilds applies every file that way
// and compares the result; app/cli's TestCitusCluster runs them on a
// cluster (README, "Scaling out").
package migrations

import (
	"embed"
	"io/fs"
	"testing/fstest"
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

// TenantWith is the tenant migrations with extra files added (name → SQL):
// a later release's, for the tests and benchmarks that play one.
func TenantWith(extra map[string]string) fs.FS {
	fsys := fstest.MapFS{}
	err := fs.WalkDir(Tenant(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Tenant(), path)
		fsys[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		panic(err) // the files are embedded at build time; this cannot fail
	}
	for name, sql := range extra {
		fsys[name] = &fstest.MapFile{Data: []byte(sql)}
	}
	return fsys
}
