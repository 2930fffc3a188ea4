package cli

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
)

// registryMissing explains the error of a command run before `polls migrate`.
func registryMissing(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P01" { // undefined_table
		return fmt.Errorf("the database has no tenant registry yet: run `polls migrate` first")
	}
	return err
}
