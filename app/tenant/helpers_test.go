package tenant_test

import (
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

type gormDB = gorm.DB

var errRollbackInner = errors.New("roll back the inner transaction")

func openAs(cfg *pgx.ConnConfig) (*sql.DB, error) {
	db := stdlib.OpenDB(*cfg)
	return db, db.Ping()
}
