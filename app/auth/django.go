package auth

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// Django's other password hashers, so that users imported from a Django
// database (polls importdjango) log in with the password they had there.
// Each such hash is verified once: NeedsRehash is true for every one of
// them, so Authenticate replaces it with polls' own argon2id at the first
// successful login, as Django upgrades a hash made by a hasher other than
// its first. Costs are bounded so that a corrupt row cannot make one login
// take minutes.
const (
	maxPBKDF2Iterations = 10_000_000 // Django 5.2 uses 1,000,000
	maxBcryptCost       = 18         // Django uses 12
)

// checkDjango reports whether password matches a hash in Django's encoding
// ("algorithm$..."), made by pbkdf2_sha256 (Django's default), pbkdf2_sha1,
// argon2 (its argon2i variant: argon2id hashes are polls' own, read by
// parseHash), bcrypt_sha256 or bcrypt. An unusable password ("!..."), an
// algorithm polls does not verify (md5, sha1, crypt, scrypt) or a damaged
// hash matches nothing, after as much work as a wrong password, so that the
// time a login takes does not tell which users have such a hash.
func checkDjango(encoded, password string) bool {
	algorithm, rest, _ := strings.Cut(encoded, "$")
	switch algorithm {
	case "pbkdf2_sha256":
		return checkPBKDF2(rest, password, sha256.New)
	case "pbkdf2_sha1":
		return checkPBKDF2(rest, password, sha1.New)
	case "argon2":
		return checkArgon2i(rest, password)
	case "bcrypt_sha256":
		// Django hashes the password first (so bcrypt's 72-byte limit does
		// not cut it) and gives bcrypt the hex digest.
		sum := sha256.Sum256([]byte(password))
		return checkBcrypt(rest, hex.EncodeToString(sum[:]))
	case "bcrypt":
		return checkBcrypt(rest, password)
	}
	CheckPassword(dummyHash, password)
	return false
}

// checkPBKDF2 verifies "iterations$salt$base64(key)": the salt is used as
// written, the key is as long as the digest.
func checkPBKDF2(rest, password string, digest func() hash.Hash) bool {
	parts := strings.Split(rest, "$")
	if len(parts) != 3 || parts[1] == "" {
		return false
	}
	iterations, err := strconv.Atoi(parts[0])
	if err != nil || iterations < 1 || iterations > maxPBKDF2Iterations {
		return false
	}
	want, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(want) != digest().Size() {
		return false
	}
	got, err := pbkdf2.Key(digest, password, []byte(parts[1]), iterations, len(want))
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(got, want) == 1
}

// checkArgon2i verifies Django's "argon2i$v=19$m=M,t=T,p=P$salt$key" (what
// Django wrote before it moved to argon2id in 3.1). The older form without
// "v=" is argon2 version 1.0, which golang.org/x/crypto does not implement:
// it matches nothing.
func checkArgon2i(rest, password string) bool {
	variant, params, ok := strings.Cut(rest, "$")
	if !ok || variant != "argon2i" {
		return false
	}
	// The same layout as polls' own hashes, whose reader checks the version
	// and bounds the costs.
	h, ok := parseHash(hashPrefix + params)
	if !ok {
		return false
	}
	got := argon2.Key([]byte(password), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(got, h.key) == 1
}

// checkBcrypt verifies "$2b$cost$salthash" (Django writes "bcrypt$" before
// it, so the stored text reads "bcrypt$$2b$..."). bcrypt reads at most 72
// bytes of a password; Django's bcrypt library cut longer ones there.
func checkBcrypt(rest, password string) bool {
	cost, err := bcrypt.Cost([]byte(rest))
	if err != nil || cost > maxBcryptCost {
		return false
	}
	pw := []byte(password)
	if len(pw) > 72 {
		pw = pw[:72]
	}
	return bcrypt.CompareHashAndPassword([]byte(rest), pw) == nil
}

// DjangoAlgorithm names the hasher of a hash in Django's encoding as Django
// does ("pbkdf2_sha256", "argon2", ...), "unusable" for a password Django
// marked unusable, and says whether polls verifies it. importdjango reports
// the users whose hash no one can log in with.
func DjangoAlgorithm(encoded string) (string, bool) {
	if strings.HasPrefix(encoded, "!") || encoded == "" {
		return "unusable", false
	}
	algorithm, rest, _ := strings.Cut(encoded, "$")
	switch algorithm {
	case "pbkdf2_sha256", "pbkdf2_sha1", "bcrypt_sha256", "bcrypt":
		return algorithm, true
	case "argon2":
		_, ok := parseHash(encoded)
		variant, params, _ := strings.Cut(rest, "$")
		return algorithm, ok || variant == "argon2i" && strings.HasPrefix(params, fmt.Sprintf("v=%d$", argon2.Version))
	}
	if algorithm == encoded {
		return "unknown", false // Django's unsalted_md5 has no "$"
	}
	return algorithm, false
}
