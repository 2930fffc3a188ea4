// Package auth is who may use a tenant's admin: password hashing and the
// checks Django applies to new passwords, logging in, server-side sessions,
// and the throttle on repeated failed logins. It works on whatever *gorm.DB it
// is given; which tenant that is, it neither knows nor needs to.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The argon2id cost of new hashes: OWASP's baseline (19 MiB, two passes, one
// lane) keeps a login near 20 ms without letting concurrent logins eat the
// server's memory. Each hash records its own cost, so raising these later
// upgrades old hashes at their next login (see NeedsRehash).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashMemory is the memory one hash or check holds while it runs, in bytes:
// garbage the moment it ends, which the garbage collector must be told to
// expect (see the serve command's memory limit).
const HashMemory = argonMemory * 1024

// hashPrefix is Django's Argon2PasswordHasher prefix: hashes are stored in
// Django's encoding, so users can move between polls and Django.
const hashPrefix = "argon2$argon2id$"

// dummyHash is checked when a username does not exist, so that a wrong
// username costs as much time as a wrong password and timing does not tell
// which usernames exist. Its salt and key are arbitrary.
const dummyHash = "argon2$argon2id$v=19$m=19456,t=2,p=1$cG9sbHMtZHVtbXktc2FsdA$ZHVtbXkta2V5LW5ldmVyLW1hdGNoZXMtYW55LXBhc3N3b3JkIQ"

var b64 = base64.RawStdEncoding

// HashPassword returns an argon2id hash of password with a fresh random salt.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("%sv=%d$m=%d,t=%d,p=%d$%s$%s", hashPrefix, argon2.Version,
		argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the encoded hash: polls'
// own argon2id, or one of Django's other hashers (django.go), which
// NeedsRehash then replaces. A hash it cannot read (an unusable password,
// another algorithm) matches nothing.
func CheckPassword(encoded, password string) bool {
	h, ok := parseHash(encoded)
	if !ok {
		return checkDjango(encoded, password)
	}
	got := argon2.IDKey([]byte(password), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(got, h.key) == 1
}

// NeedsRehash reports whether a hash was made with other costs than new ones.
func NeedsRehash(encoded string) bool {
	h, ok := parseHash(encoded)
	return !ok || h.time != argonTime || h.memory != argonMemory || h.threads != argonThreads ||
		len(h.key) != argonKeyLen
}

type argonHash struct {
	time, memory uint32
	threads      uint8
	salt, key    []byte
}

// parseHash reads "argon2$argon2id$v=19$m=M,t=T,p=P$salt$key". Costs are
// bounded so that a corrupt row cannot make one login take minutes.
func parseHash(encoded string) (argonHash, bool) {
	rest, ok := strings.CutPrefix(encoded, hashPrefix)
	if !ok {
		return argonHash{}, false
	}
	parts := strings.Split(rest, "$")
	if len(parts) != 4 || parts[0] != fmt.Sprintf("v=%d", argon2.Version) {
		return argonHash{}, false
	}
	var h argonHash
	var m, t, p uint64
	if n, err := fmt.Sscanf(parts[1], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || n != 3 {
		return argonHash{}, false
	}
	if m < 8 || m > 1<<20 || t < 1 || t > 16 || p < 1 || p > 16 {
		return argonHash{}, false
	}
	h.memory, h.time, h.threads = uint32(m), uint32(t), uint8(p)
	var err error
	if h.salt, err = b64.DecodeString(parts[2]); err != nil || len(h.salt) < 8 {
		return argonHash{}, false
	}
	if h.key, err = b64.DecodeString(parts[3]); err != nil || len(h.key) < 16 || len(h.key) > 64 {
		return argonHash{}, false
	}
	return h, true
}
