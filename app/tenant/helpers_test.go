package tenant_test

import (
	"errors"

	"gorm.io/gorm"
)

type gormDB = gorm.DB

var errRollbackInner = errors.New("roll back the inner transaction")
