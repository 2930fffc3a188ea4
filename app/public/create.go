package public

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"polls/app/auth"
)

// newOwner is the superuser a sign-up creates in its new tenant, with the
// handoff session that logs them in there (auth.NewHandoff).
type newOwner struct {
	username, email string
	hash            string // argon2id, made before the creation began
	handoffKey      string // the handoff session's key (the token's SHA-256)
	now             time.Time
}

// fill is the NewTenant.Fill of a sign-up: it runs in the creation's own
// transaction, in the new schema, so the tenant, its superuser and the
// handoff exist together or not at all. Plain SQL on pgx, as every Fill:
// the tables are Django's auth_user and django_session (models.User,
// models.Session), whose columns are those of tenant migration 2.
func (o newOwner) fill(ctx context.Context, tx pgx.Tx) error {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO auth_user (password, is_superuser, username, email, is_staff, is_active, date_joined)
		VALUES ($1, true, $2, $3, true, true, $4) RETURNING id`, o.hash, o.username, o.email, o.now).Scan(&id)
	if err != nil {
		return fmt.Errorf("create superuser %s: %w", o.username, err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO django_session (session_key, user_id, expire_date, created_at) VALUES ($1, $2, $3, $4)`,
		o.handoffKey, id, o.now.Add(auth.HandoffTTL), o.now)
	if err != nil {
		return fmt.Errorf("create handoff for %s: %w", o.username, err)
	}
	return nil
}
