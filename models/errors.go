package models

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// Sentinel errors the web layer maps to HTTP statuses in one place.
var (
	ErrNotFound = errors.New("not found")
	// ErrConflict is a write refused by a unique constraint: the row was
	// taken by someone else meanwhile.
	ErrConflict = errors.New("conflict")
)

// translate turns driver errors into the sentinels above, keeping the original.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errors.Join(ErrNotFound, err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return errors.Join(ErrConflict, err)
	}
	return err
}
