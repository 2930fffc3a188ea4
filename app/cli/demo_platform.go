package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"polls/app/database"
	"polls/app/demo"
	"polls/app/tenant"
)

// seedPlatform gives the demo's platform admin its superuser, once.
func seedPlatform(ctx context.Context, out io.Writer, db *database.DB) error {
	tx, err := tenant.Begin(ctx, db.SQL, tenant.PlatformSchema)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	added, err := demo.SeedPlatform(ctx, tx.Gorm(ctx, db.Gorm), time.Now())
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	if len(added) > 0 {
		fmt.Fprintf(out, "platform: added %s\n", strings.Join(added, " and "))
	}
	return nil
}

// printPlatformLogin prints the platform admin's address and login; with no
// main domain there is no platform admin to print.
func printPlatformLogin(out io.Writer, mainDomain, port string) {
	if mainDomain == "" {
		return
	}
	fmt.Fprintf(out, "  platform admin: http://%s:%s/admin/  login %s / %s\n", mainDomain, port, demo.PlatformAdmin, demo.PlatformPassword)
}
