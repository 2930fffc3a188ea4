package djangoimport

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
)

// Snapshot is what one Django tenant's schema holds, read in one
// transaction, and what stands in the way of importing it.
type Snapshot struct {
	Questions []Question
	Choices   []Choice
	Users     []User
	Actions   []Action
	Sessions  int64 // django_session rows: not carried, everyone logs in again

	// Problems each prevent the import: a table or column polls needs is
	// missing, or a row polls' tables would refuse.
	Problems []string
	// Notes say what is not carried, and why.
	Notes []string
}

// Question is a row of polls_question.
type Question struct {
	ID      int64
	Text    string
	PubDate time.Time
}

// Choice is a row of polls_choice.
type Choice struct {
	ID, QuestionID int64
	Text           string
	Votes          int32
}

// User is a row of auth_user. Password is Django's hash, carried as it is:
// polls verifies Django's hashes (app/auth/django.go).
type User struct {
	ID                   int64
	Password             string
	LastLogin            *time.Time
	IsSuperuser, IsStaff bool
	IsActive             bool
	Username, Email      string
	FirstName, LastName  string
	DateJoined           time.Time
}

// Action is a row of django_admin_log, its content type as polls names it
// ("polls.question") and its change message as text.
type Action struct {
	ID            int64
	ActionTime    time.Time
	UserID        *int64
	ContentType   string
	ObjectID      string
	ObjectRepr    string
	ActionFlag    int16
	ChangeMessage string
}

// carried are the tables polls takes, with the columns it expects of them:
// those of Django's own models. A column missing is a problem, an extra one
// a note (its values are not carried).
var carried = []carriedTable{
	{"polls_question", []string{"id", "question_text", "pub_date"}},
	{"polls_choice", []string{"id", "question_id", "choice_text", "votes"}},
	{"auth_user", []string{"id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
		"email", "is_staff", "is_active", "date_joined"}},
	{"django_admin_log", []string{"id", "action_time", "object_id", "object_repr", "action_flag", "change_message",
		"content_type_id", "user_id"}},
}

type carriedTable struct {
	table   string
	columns []string
}

// leftBehind are Django's own tables that polls does not take, and why.
var leftBehind = map[string]string{
	"django_session":             "", // counted on its own
	"django_migrations":          "",
	"django_content_type":        "",
	"auth_permission":            "",
	"auth_group":                 "groups are not carried: polls has staff and superuser flags only",
	"auth_group_permissions":     "group permissions are not carried: polls has staff and superuser flags only",
	"auth_user_groups":           "group memberships are not carried: polls has staff and superuser flags only",
	"auth_user_user_permissions": "per-user permissions are not carried: polls has staff and superuser flags only",
}

// Read takes one snapshot of a Django tenant's schema.
func (s *Source) Read(ctx context.Context, schema string) (*Snapshot, error) {
	snap := &Snapshot{}
	err := s.readOnly(ctx, func(tx pgx.Tx) error {
		tables, err := schemaTables(ctx, tx, schema)
		if err != nil {
			return err
		}
		if tables == nil {
			snap.Problems = append(snap.Problems, fmt.Sprintf("schema %s does not exist in the Django database", schema))
			return nil
		}
		snap.checkTables(tables)
		if len(snap.Problems) > 0 {
			return nil
		}
		if err := snap.readRows(ctx, tx, schema); err != nil {
			return err
		}
		return snap.countLeftBehind(ctx, tx, schema, tables)
	})
	if err != nil {
		return nil, fmt.Errorf("read schema %s: %w", schema, err)
	}
	snap.check()
	return snap, nil
}

// schemaTables returns the columns of each table of schema; nil if there
// is no such schema.
func schemaTables(ctx context.Context, tx pgx.Tx, schema string) (map[string][]string, error) {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, schema).Scan(&exists); err != nil {
		return nil, err
	}
	if !exists {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c
		JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`, schema)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return nil, err
		}
		out[t] = append(out[t], c)
	}
	return out, rows.Err()
}

// checkTables compares the schema's tables with what polls takes.
func (snap *Snapshot) checkTables(tables map[string][]string) {
	for _, c := range carried {
		have, ok := tables[c.table]
		if !ok {
			snap.Problems = append(snap.Problems, fmt.Sprintf("table %s is missing (have the tenant migrations, `migrate_schemas`, run on this schema?)", c.table))
			continue
		}
		for _, col := range c.columns {
			if !slices.Contains(have, col) {
				snap.Problems = append(snap.Problems, fmt.Sprintf("table %s has no column %s", c.table, col))
			}
		}
		for _, col := range have {
			if !slices.Contains(c.columns, col) {
				snap.Notes = append(snap.Notes, fmt.Sprintf("column %s.%s is not carried: polls' table has no such column", c.table, col))
			}
		}
	}
}

// readRows reads the carried tables.
func (snap *Snapshot) readRows(ctx context.Context, tx pgx.Tx, schema string) error {
	t := func(name string) string { return pgx.Identifier{schema, name}.Sanitize() }
	var err error
	if snap.Questions, err = collect(ctx, tx, `SELECT id::bigint, question_text::text, pub_date::timestamptz FROM `+t("polls_question")+` ORDER BY id`,
		func(r pgx.CollectableRow) (Question, error) {
			var q Question
			return q, r.Scan(&q.ID, &q.Text, &q.PubDate)
		}); err != nil {
		return fmt.Errorf("polls_question: %w", err)
	}
	if snap.Choices, err = collect(ctx, tx, `SELECT id::bigint, question_id::bigint, choice_text::text, votes::integer FROM `+t("polls_choice")+` ORDER BY id`,
		func(r pgx.CollectableRow) (Choice, error) {
			var c Choice
			return c, r.Scan(&c.ID, &c.QuestionID, &c.Text, &c.Votes)
		}); err != nil {
		return fmt.Errorf("polls_choice: %w", err)
	}
	if snap.Users, err = collect(ctx, tx, `SELECT id::bigint, password::text, last_login::timestamptz, is_superuser, username::text,
		COALESCE(first_name::text, ''), COALESCE(last_name::text, ''), COALESCE(email::text, ''), is_staff, is_active, date_joined::timestamptz
		FROM `+t("auth_user")+` ORDER BY id`,
		func(r pgx.CollectableRow) (User, error) {
			var u User
			return u, r.Scan(&u.ID, &u.Password, &u.LastLogin, &u.IsSuperuser, &u.Username, &u.FirstName, &u.LastName, &u.Email,
				&u.IsStaff, &u.IsActive, &u.DateJoined)
		}); err != nil {
		return fmt.Errorf("auth_user: %w", err)
	}
	types, err := contentTypes(ctx, tx, schema)
	if err != nil {
		return err
	}
	if snap.Actions, err = collect(ctx, tx, `SELECT id::bigint, action_time::timestamptz, user_id::bigint, COALESCE(content_type_id::bigint, 0),
		COALESCE(object_id::text, ''), object_repr::text, action_flag::smallint, COALESCE(change_message::text, '')
		FROM `+t("django_admin_log")+` ORDER BY id`,
		func(r pgx.CollectableRow) (Action, error) {
			var a Action
			var ct int64
			err := r.Scan(&a.ID, &a.ActionTime, &a.UserID, &ct, &a.ObjectID, &a.ObjectRepr, &a.ActionFlag, &a.ChangeMessage)
			a.ContentType = types[ct]
			a.ChangeMessage = changeMessage(a.ChangeMessage)
			return a, err
		}); err != nil {
		return fmt.Errorf("django_admin_log: %w", err)
	}
	return nil
}

// contentTypes maps django_content_type ids to "app_label.model", the name
// polls' admin log stores. The table is the tenant's own, or public's when
// contenttypes is a shared app only.
func contentTypes(ctx context.Context, tx pgx.Tx, schema string) (map[int64]string, error) {
	var table string
	err := tx.QueryRow(ctx, `SELECT n.nspname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relname = 'django_content_type' AND c.relkind = 'r' AND n.nspname IN ($1, 'public')
		ORDER BY n.nspname = $1 DESC LIMIT 1`, schema).Scan(&table)
	if err == pgx.ErrNoRows {
		return map[int64]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find django_content_type: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT id::bigint, app_label::text || '.' || model::text FROM `+pgx.Identifier{table, "django_content_type"}.Sanitize())
	if err != nil {
		return nil, fmt.Errorf("django_content_type: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("django_content_type: %w", err)
		}
		out[id] = name
	}
	return out, rows.Err()
}

// countLeftBehind counts the sessions and notes every other table with rows.
func (snap *Snapshot) countLeftBehind(ctx context.Context, tx pgx.Tx, schema string, tables map[string][]string) error {
	names := make([]string, 0, len(tables))
	for name := range tables {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if slices.ContainsFunc(carried, func(c carriedTable) bool { return c.table == name }) {
			continue
		}
		why, known := leftBehind[name]
		if known && why == "" && name != "django_session" {
			continue
		}
		var n int64
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{schema, name}.Sanitize()).Scan(&n); err != nil {
			return fmt.Errorf("count %s: %w", name, err)
		}
		switch {
		case name == "django_session":
			snap.Sessions = n
		case n == 0:
		case known:
			snap.Notes = append(snap.Notes, fmt.Sprintf("%s (%d rows): %s", name, n, why))
		default:
			snap.Notes = append(snap.Notes, fmt.Sprintf("table %s (%d rows) is not carried: polls has the tutorial's polls and the admin's users and log only", name, n))
		}
	}
	return nil
}

// Counts says how many rows of each table, for the progress lines.
func (snap *Snapshot) Counts() string {
	return fmt.Sprintf("%d questions, %d choices, %d users, %d admin log entries (%d sessions not carried)",
		len(snap.Questions), len(snap.Choices), len(snap.Users), len(snap.Actions), snap.Sessions)
}

// collect runs q and turns each row into a T.
func collect[T any](ctx context.Context, tx pgx.Tx, q string, fn pgx.RowToFunc[T]) ([]T, error) {
	rows, err := tx.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, fn)
}
