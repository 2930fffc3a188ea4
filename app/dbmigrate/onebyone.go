package dbmigrate

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
)

// UpOneByOneAs is UpAs, or UpToAs when version is not 0, for a Citus
// coordinator: each migration still runs in one transaction that records its
// version, but is sent one statement at a time (Split), because Citus
// forwards some DDL (CREATE INDEX) to the workers with the query string it
// was given, and a string of several commands is refused there ("cannot
// insert multiple commands into a prepared statement"). golang-migrate,
// which sends a file whole, is not used: the version table it would make is
// made here, in its layout, so either can take over later.
func UpOneByOneAs(ctx context.Context, url, schema, role string, src fs.FS, version uint) (Result, error) {
	steps, err := loadSteps(src)
	if err != nil {
		return Result{Schema: schema}, err
	}
	if version != 0 {
		i := slices.IndexFunc(steps, func(s step) bool { return s.version == version })
		if i < 0 {
			return Result{Schema: schema}, fmt.Errorf("migrate %s: version %d is not one of these migrations", schema, version)
		}
		steps = steps[:i+1]
	}
	w := &worker{url: url, src: src, steps: steps, oneByOne: true}
	defer w.close()
	conn, err := w.connection(ctx)
	if err != nil {
		return Result{Schema: schema}, fmt.Errorf("migrate %s: %w", schema, err)
	}
	return w.apply(ctx, conn, Target{Schema: schema, Role: role})
}
