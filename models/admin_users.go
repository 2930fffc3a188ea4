package models

import (
	"fmt"

	"gorm.io/gorm"
)

// AdminUsers returns one page of users whose username or email contains every
// word of search (see SearchTerms), by username, and how many match in all.
func AdminUsers(tx *gorm.DB, search string, offset, limit int) ([]User, int64, error) {
	db := tx.Model(&User{})
	terms, _ := SearchTerms(search)
	for _, w := range terms {
		p := "%" + escapeLike(w) + "%"
		db = db.Where("(username ILIKE ? OR email ILIKE ?)", p, p)
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count users: %w", translate(err))
	}
	var us []User
	if err := db.Order("username").Offset(offset).Limit(limit).Find(&us).Error; err != nil {
		return nil, 0, fmt.Errorf("list users: %w", translate(err))
	}
	return us, total, nil
}

// DeleteUser deletes a user; their sessions go with them and their admin log
// entries stay without an author.
func DeleteUser(tx *gorm.DB, id int64) error {
	res := tx.Where("id = ?", id).Delete(&User{})
	if res.Error != nil {
		return fmt.Errorf("delete user %d: %w", id, translate(res.Error))
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("delete user %d: %w", id, ErrNotFound)
	}
	return nil
}
