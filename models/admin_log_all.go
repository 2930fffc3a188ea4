package models

import (
	"fmt"

	"gorm.io/gorm"
)

// LoggedAction is a log entry with its author's username ("" once the user
// is deleted).
type LoggedAction struct {
	AdminAction
	Username string
}

// ActionLog returns the n newest entries of every user's actions, newest
// first, only those on one object (contentType and objectID) when objectID
// is not "". The platform admin shows it whole: its readers are the
// operators, who may see every tenant, so there is nothing to hide.
func ActionLog(tx *gorm.DB, contentType, objectID string, n int) ([]LoggedAction, error) {
	q := tx.Table("django_admin_log AS l").
		Select("l.id, l.action_time, l.user_id, l.content_type, l.object_id, l.object_repr, l.action_flag, l.change_message, COALESCE(u.username, '') AS username").
		Joins("LEFT JOIN auth_user u ON u.id = l.user_id")
	if objectID != "" {
		q = q.Where("l.content_type = ? AND l.object_id = ?", contentType, objectID)
	}
	var out []LoggedAction
	if err := q.Order("l.action_time DESC, l.id DESC").Limit(n).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("admin action log: %w", translate(err))
	}
	return out, nil
}
