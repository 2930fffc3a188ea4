package models

import (
	"fmt"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Action flags of the admin log, Django's values.
const (
	ActionAddition int16 = 1
	ActionChange   int16 = 2
	ActionDeletion int16 = 3
)

// AdminAction is one entry of the admin's log (table django_admin_log): who
// added, changed or deleted which object, and when.
type AdminAction struct {
	ID            int64
	ActionTime    time.Time
	UserID        *int64 // nil once the user is deleted
	ContentType   string // "polls.question", "auth.user", ...
	ObjectID      string
	ObjectRepr    string
	ActionFlag    int16
	ChangeMessage string
}

// TableName is Django's name for the table, unqualified.
func (AdminAction) TableName() string { return "django_admin_log" }

// RecentAction is a log entry with its author's name, for the admin's index.
type RecentAction struct {
	AdminAction
	Username string // "" once the user is deleted
}

// LogAction records an admin action. Call it in the transaction that made the
// change, so the log never records what was rolled back.
func LogAction(tx *gorm.DB, a AdminAction) error {
	if a.ActionTime.IsZero() {
		a.ActionTime = time.Now()
	}
	a.ObjectRepr = truncate(a.ObjectRepr, 200)
	if err := tx.Create(&a).Error; err != nil {
		return fmt.Errorf("log admin action: %w", translate(err))
	}
	return nil
}

// RecentActions returns the n newest log entries, newest first.
func RecentActions(tx *gorm.DB, n int) ([]RecentAction, error) {
	var rs []RecentAction
	err := tx.Table("django_admin_log AS l").
		Select("l.*, COALESCE(u.username, '') AS username").
		Joins("LEFT JOIN auth_user u ON u.id = l.user_id").
		Order("l.action_time DESC, l.id DESC").Limit(n).Scan(&rs).Error
	if err != nil {
		return nil, fmt.Errorf("recent admin actions: %w", translate(err))
	}
	return rs, nil
}

// truncate cuts s to at most n characters (not bytes), for varchar(n) columns.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
