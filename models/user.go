package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// User is a person who may log in to a tenant's admin (table auth_user, as
// Django names it). Users live in the tenant's schema: each tenant has its own.
type User struct {
	ID          int64
	Password    string // an encoded hash (see app/auth), never the password
	LastLogin   *time.Time
	IsSuperuser bool
	Username    string
	FirstName   string
	LastName    string
	Email       string
	IsStaff     bool
	IsActive    bool
	DateJoined  time.Time
}

// TableName is Django's name for the table, unqualified.
func (User) TableName() string { return "auth_user" }

// String is how the admin names a user.
func (u User) String() string { return u.Username }

// userColumns are the columns SaveUser writes: every one but id, last_login
// and date_joined, which have their own owners.
var userColumns = []string{"password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff", "is_active"}

// UserByUsername returns the user with exactly this username, or ErrNotFound.
func UserByUsername(tx *gorm.DB, username string) (User, error) {
	var u User
	if err := tx.Where("username = ?", username).Take(&u).Error; err != nil {
		return u, fmt.Errorf("user %q: %w", username, translate(err))
	}
	return u, nil
}

// UserByID returns a user, or ErrNotFound.
func UserByID(tx *gorm.DB, id int64) (User, error) {
	var u User
	if err := tx.Where("id = ?", id).Take(&u).Error; err != nil {
		return u, fmt.Errorf("user %d: %w", id, translate(err))
	}
	return u, nil
}

// UsernameTaken reports whether a user already has this username.
func UsernameTaken(tx *gorm.DB, username string) (bool, error) {
	var n int64
	if err := tx.Model(&User{}).Where("username = ?", username).Count(&n).Error; err != nil {
		return false, fmt.Errorf("check username %q: %w", username, translate(err))
	}
	return n > 0, nil
}

// CreateUser inserts u and sets its ID. A taken username is ErrConflict, also
// when another request took it a moment ago.
func CreateUser(tx *gorm.DB, u *User) error {
	if u.DateJoined.IsZero() {
		u.DateJoined = time.Now()
	}
	if err := tx.Create(u).Error; err != nil {
		return fmt.Errorf("create user %q: %w", u.Username, translate(err))
	}
	return nil
}

// SaveUser writes u's editable columns. A taken username is ErrConflict.
func SaveUser(tx *gorm.DB, u User) error {
	res := tx.Model(&User{ID: u.ID}).Select(userColumns).Updates(&u)
	if res.Error != nil {
		return fmt.Errorf("save user %d: %w", u.ID, translate(res.Error))
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("save user %d: %w", u.ID, ErrNotFound)
	}
	return nil
}

// SetLastLogin records when the user last logged in.
func SetLastLogin(tx *gorm.DB, id int64, at time.Time) error {
	if err := tx.Model(&User{}).Where("id = ?", id).UpdateColumn("last_login", at).Error; err != nil {
		return fmt.Errorf("set last login of user %d: %w", id, translate(err))
	}
	return nil
}

// SetPassword replaces a user's password hash.
func SetPassword(tx *gorm.DB, id int64, hash string) error {
	if err := tx.Model(&User{}).Where("id = ?", id).UpdateColumn("password", hash).Error; err != nil {
		return fmt.Errorf("set password of user %d: %w", id, translate(err))
	}
	return nil
}
