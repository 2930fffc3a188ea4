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

// RecentActions returns the n newest entries of one user's actions, newest
// first. Only the user's own: as in Django's admin index ("My actions"), the
// log is not a way to watch what others did, on objects the reader may not
// be allowed to see.
func RecentActions(tx *gorm.DB, userID int64, n int) ([]AdminAction, error) {
	var as []AdminAction
	err := tx.Where("user_id = ?", userID).Order("action_time DESC, id DESC").Limit(n).Find(&as).Error
	if err != nil {
		return nil, fmt.Errorf("recent admin actions of user %d: %w", userID, translate(err))
	}
	return as, nil
}

// truncate cuts s to at most n characters (not bytes), for varchar(n) columns.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
