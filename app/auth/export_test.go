package auth

import (
	"crypto/rand"
	"fmt"

	"golang.org/x/crypto/argon2"
)

// HashWithTimeCost hashes like HashPassword but with another time cost, to
// stand for a hash made before the costs were raised.
func HashWithTimeCost(password string, t uint32) string {
	salt := make([]byte, argonSaltLen)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, t, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("%sv=%d$m=%d,t=%d,p=%d$%s$%s", hashPrefix, argon2.Version, argonMemory, t, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}
