package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Session is one login (table django_session). Key is the SHA-256 of the
// random token in the visitor's cookie, hex-encoded: the token itself is never
// stored, so a leaked table gives no live sessions.
type Session struct {
	Key        string `gorm:"column:session_key;primaryKey"`
	UserID     int64
	ExpireDate time.Time
	CreatedAt  time.Time
	Flash      string // a one-time message for the next page
	FlashLevel string // "success", "warning" or "error"
}

// TableName is Django's name for the table, unqualified.
func (Session) TableName() string { return "django_session" }

// CreateSession stores a new session.
func CreateSession(tx *gorm.DB, s Session) error {
	if err := tx.Create(&s).Error; err != nil {
		return fmt.Errorf("create session: %w", translate(err))
	}
	return nil
}

// SessionWithUser returns the session with this key and its user, or
// ErrNotFound when there is none or it expired before now.
func SessionWithUser(tx *gorm.DB, key string, now time.Time) (Session, User, error) {
	var s Session
	err := tx.Where("session_key = ? AND expire_date > ?", key, now).Take(&s).Error
	if err != nil {
		return s, User{}, fmt.Errorf("session: %w", translate(err))
	}
	u, err := UserByID(tx, s.UserID)
	if err != nil {
		return s, u, fmt.Errorf("session: %w", err)
	}
	return s, u, nil
}

// DeleteSession removes a session; a missing one is not an error.
func DeleteSession(tx *gorm.DB, key string) error {
	if err := tx.Where("session_key = ?", key).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete session: %w", translate(err))
	}
	return nil
}

// DeleteUserSessions logs a user out everywhere except in session keep (which
// may be ""), as after a password change.
func DeleteUserSessions(tx *gorm.DB, userID int64, keep string) error {
	if err := tx.Where("user_id = ? AND session_key <> ?", userID, keep).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, translate(err))
	}
	return nil
}

// DeleteExpiredSessions removes sessions that expired before now, so the
// table does not grow with every login.
func DeleteExpiredSessions(tx *gorm.DB, now time.Time) error {
	if err := tx.Where("expire_date <= ?", now).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete expired sessions: %w", translate(err))
	}
	return nil
}

// SetSessionFlash stores the message the session's next page shows.
func SetSessionFlash(tx *gorm.DB, key, level, msg string) error {
	err := tx.Model(&Session{}).Where("session_key = ?", key).
		UpdateColumns(map[string]any{"flash": msg, "flash_level": level}).Error
	if err != nil {
		return fmt.Errorf("set session message: %w", translate(err))
	}
	return nil
}
