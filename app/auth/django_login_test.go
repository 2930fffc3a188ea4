package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"gorm.io/gorm"

	"polls/app/apptest"
	"polls/app/auth"
	"polls/models"
)

// A user imported from Django logs in with the password Django hashed, and
// the hash is polls' argon2id from then on; an unusable or unknown hash is
// a wrong password, not an error.
func TestAuthenticateDjangoHashes(t *testing.T) {
	tn := apptest.NewTenant(t)
	inTenant(t, tn, func(tx *gorm.DB) {
		for _, u := range []models.User{
			{Username: "dj", Password: "pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=", IsActive: true},
			{Username: "bc", Password: "bcrypt_sha256$$2b$04$JHL9SYU/xwe1oMAqu2D4Z.GYeJ7.G.ozbrY7khK20AACb.HxAjDfy", IsActive: true},
			{Username: "off", Password: "!Oz3L5pYnAabDtc2sNuHLnrxbcg8ykGFQyrKpZBzb", IsActive: true},
			{Username: "md5", Password: "md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3", IsActive: true},
		} {
			if err := models.CreateUser(tx, &u); err != nil {
				t.Fatal(err)
			}
		}
	})
	h := auth.NewHasher(1)
	for _, username := range []string{"off", "md5"} {
		inTenant(t, tn, func(tx *gorm.DB) {
			_, err := h.Authenticate(context.Background(), tx, noRelease, username, "lètmein")
			if !errors.Is(err, auth.ErrBadCredentials) {
				t.Errorf("%s: got %v, want %v", username, err, auth.ErrBadCredentials)
			}
		})
	}
	for _, username := range []string{"dj", "bc"} {
		inTenant(t, tn, func(tx *gorm.DB) {
			if _, err := h.Authenticate(context.Background(), tx, noRelease, username, "lètmeinz"); !errors.Is(err, auth.ErrBadCredentials) {
				t.Errorf("%s, wrong password: got %v, want %v", username, err, auth.ErrBadCredentials)
			}
		})
		inTenant(t, tn, func(tx *gorm.DB) {
			if _, err := h.Authenticate(context.Background(), tx, noRelease, username, "lètmein"); err != nil {
				t.Fatalf("%s: got %v, want Django's hash accepted", username, err)
			}
		})
		inTenant(t, tn, func(tx *gorm.DB) {
			u, err := models.UserByUsername(tx, username)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(u.Password, "argon2$argon2id$") || auth.NeedsRehash(u.Password) || !auth.CheckPassword(u.Password, "lètmein") {
				t.Errorf("%s: stored hash after login: got %.40q, want polls' argon2id of the same password", username, u.Password)
			}
		})
	}
}
