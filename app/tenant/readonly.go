package tenant

import (
	"errors"

	"gorm.io/gorm"

	"polls/app/database"
)

// ErrReadOnlyTooLate: a transaction can be declared read-only only before
// its first query.
var ErrReadOnlyTooLate = errors.New("tenant transaction declared read-only after its first query")

// ReadOnly declares the transaction behind db (a handle from Tx.Gorm, as
// every request's) read-only, before its first query: it begins READ ONLY,
// so PostgreSQL refuses any write in it (SQLSTATE 25006), and, in a pool
// that commits behind (database.commit_behind), its COMMIT is not waited
// for. It holds for the transactions a Checkpoint starts after it too. A
// handle of no tenant transaction is an error.
func ReadOnly(db *gorm.DB) error {
	p, ok := db.Statement.ConnPool.(*connPool)
	if !ok {
		return errors.New("tenant.ReadOnly: not a tenant transaction's handle")
	}
	t := p.tx
	if t.conn != nil || t.err != nil || t.done {
		return ErrReadOnlyTooLate
	}
	t.readOnly = true
	t.opening[0] = database.BeginReadOnly()
	return nil
}
