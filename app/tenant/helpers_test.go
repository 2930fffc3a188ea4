package tenant_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"polls/app/apptest"
	"polls/app/tenant"
)

type gormDB = gorm.DB

var errRollbackInner = errors.New("roll back the inner transaction")

func openAs(cfg *pgx.ConnConfig) (*sql.DB, error) {
	db := stdlib.OpenDB(*cfg)
	return db, db.Ping()
}

// beginInNewTenant begins a request-style transaction (tenant.Begin on the
// suite's pool) in a new tenant's schema, rolled back when the test ends. It
// returns a function giving a new GORM handle bound to the transaction at each
// call, for a test to go on past an error left on the previous one.
func beginInNewTenant(t *testing.T) func() *gorm.DB {
	t.Helper()
	ctx := context.Background()
	db := apptest.DB(t)
	tx, err := tenant.Begin(ctx, db.SQL, apptest.NewTenant(t).Schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tx.Rollback)
	return func() *gorm.DB { return tx.Gorm(ctx, db.Gorm) }
}
