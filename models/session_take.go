package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// TakeSession deletes the session with this key, if it is live at now, and
// returns it; ErrNotFound otherwise. One statement, so of two requests
// taking the same key at once exactly one gets it: the sign-up handoff's
// single use rests on this.
func TakeSession(tx *gorm.DB, key string, now time.Time) (Session, error) {
	var taken []Session
	err := tx.Clauses(clause.Returning{}).Where("session_key = ? AND expire_date > ?", key, now).Delete(&taken).Error
	if err != nil {
		return Session{}, fmt.Errorf("take session: %w", translate(err))
	}
	if len(taken) == 0 {
		return Session{}, fmt.Errorf("take session: %w", ErrNotFound)
	}
	return taken[0], nil
}
