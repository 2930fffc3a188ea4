package djangoimport

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// fill writes snap into the new tenant's schema: it is a tenant.NewTenant's
// Fill, run in the creating transaction with search_path set to the new
// schema, so a failure here leaves no tenant at all. Ids are kept (the admin
// log and links name them), and each sequence is set past the largest.
func (snap *Snapshot) fill(ctx context.Context, tx pgx.Tx) error {
	var schema, owner string
	if err := tx.QueryRow(ctx, `SELECT nspname::text, pg_get_userbyid(nspowner)::text FROM pg_namespace
		WHERE nspname = current_schema()`).Scan(&schema, &owner); err != nil {
		return fmt.Errorf("find the new schema: %w", err)
	}
	// As the schema's owner, as its requests will be: the rows can go
	// nowhere but this tenant's tables.
	if _, err := tx.Exec(ctx, `SET LOCAL ROLE `+pgx.Identifier{owner}.Sanitize()); err != nil {
		return err
	}
	copies := []struct {
		table   string
		columns []string
		rows    [][]any
	}{
		{"auth_user", []string{"id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email", "is_staff", "is_active", "date_joined"},
			rowsOf(snap.Users, func(u User) []any {
				return []any{u.ID, u.Password, u.LastLogin, u.IsSuperuser, u.Username, u.FirstName, u.LastName, u.Email, u.IsStaff, u.IsActive, u.DateJoined}
			})},
		{"polls_question", []string{"id", "question_text", "pub_date"},
			rowsOf(snap.Questions, func(q Question) []any { return []any{q.ID, q.Text, q.PubDate} })},
		{"polls_choice", []string{"id", "question_id", "choice_text", "votes"},
			rowsOf(snap.Choices, func(c Choice) []any { return []any{c.ID, c.QuestionID, c.Text, c.Votes} })},
		{"django_admin_log", []string{"id", "action_time", "user_id", "content_type", "object_id", "object_repr", "action_flag", "change_message"},
			rowsOf(snap.Actions, func(a Action) []any {
				return []any{a.ID, a.ActionTime, a.UserID, a.ContentType, a.ObjectID, truncate(a.ObjectRepr, 200), a.ActionFlag, a.ChangeMessage}
			})},
	}
	for _, c := range copies {
		n, err := tx.CopyFrom(ctx, pgx.Identifier{schema, c.table}, c.columns, pgx.CopyFromRows(c.rows))
		if err != nil {
			return fmt.Errorf("write %s: %w", c.table, err)
		}
		if int(n) != len(c.rows) {
			return fmt.Errorf("write %s: %d rows written of %d", c.table, n, len(c.rows))
		}
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE(max(id), 0) + 1, false) FROM `+
			pgx.Identifier{schema, c.table}.Sanitize(), pgx.Identifier{schema, c.table}.Sanitize()); err != nil {
			return fmt.Errorf("set the id sequence of %s: %w", c.table, err)
		}
	}
	return nil
}

func rowsOf[T any](items []T, fn func(T) []any) [][]any {
	out := make([][]any, len(items))
	for i, it := range items {
		out[i] = fn(it)
	}
	return out
}

// truncate cuts s to n characters, as polls' varchar(n) columns need.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
