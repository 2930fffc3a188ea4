package auth

import (
	"strings"
	"testing"
)

func TestHashAndCheckPassword(t *testing.T) {
	hash, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "argon2$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(hash, "correct horse") {
		t.Errorf("hash: got %q, want Django's argon2id encoding without the password", hash)
	}
	again, _ := HashPassword("correct horse")
	if again == hash {
		t.Errorf("two hashes of one password: got equal, want different salts")
	}
	for _, tt := range []struct {
		encoded, password string
		want              bool
	}{
		{hash, "correct horse", true},
		{hash, "Correct horse", false},
		{hash, "", false},
		{"", "", false},
		{"!unusable", "!unusable", false},
		{"pbkdf2_sha256$600000$salt$hash", "x", false},
		{strings.Replace(hash, "m=19456", "m=99999999", 1), "correct horse", false}, // cost out of bounds
		{dummyHash, "anything", false},
	} {
		if got := CheckPassword(tt.encoded, tt.password); got != tt.want {
			t.Errorf("CheckPassword(%.30q, %q): got %v, want %v", tt.encoded, tt.password, got, tt.want)
		}
	}
	if _, ok := parseHash(dummyHash); !ok {
		t.Errorf("dummyHash: got unparseable, want a hash that costs a full check")
	}
}

func TestNeedsRehash(t *testing.T) {
	hash, _ := HashPassword("pw")
	cheaper := strings.Replace(hash, "t=2", "t=1", 1)
	for _, tt := range []struct {
		encoded string
		want    bool
	}{{hash, false}, {cheaper, true}, {"garbage", true}} {
		if got := NeedsRehash(tt.encoded); got != tt.want {
			t.Errorf("NeedsRehash(%.40q): got %v, want %v", tt.encoded, got, tt.want)
		}
	}
}
