package auth_test

import (
	"strings"
	"testing"

	"polls/app/auth"
)

// djangoCase is a hash Django made of password: it must match password and
// nothing else, and be replaced at the next login.
type djangoCase struct {
	name, encoded, password string
}

// checkDjangoCases asserts each case matches its password only.
func checkDjangoCases(t *testing.T, cases []djangoCase) {
	t.Helper()
	for _, c := range cases {
		if !auth.CheckPassword(c.encoded, c.password) {
			t.Errorf("%s: CheckPassword(%q, %q): got false, want true", c.name, c.encoded, c.password)
		}
		for _, wrong := range []string{c.password + "z", "", " ", strings.ToUpper(c.password)} {
			if wrong != c.password && auth.CheckPassword(c.encoded, wrong) {
				t.Errorf("%s: CheckPassword(%q, %q): got true, want false", c.name, c.encoded, wrong)
			}
		}
		if !auth.NeedsRehash(c.encoded) {
			t.Errorf("%s: NeedsRehash: got false, want true (polls' own hasher replaces it at login)", c.name)
		}
		if alg, ok := auth.DjangoAlgorithm(c.encoded); !ok {
			t.Errorf("%s: DjangoAlgorithm: got %q unusable, want usable", c.name, alg)
		}
	}
}

// The literal hashes below come from Django's own test suite
// (tests/auth_tests/test_hashers.py) unless said otherwise.

func TestDjangoPBKDF2SHA256(t *testing.T) {
	checkDjangoCases(t, []djangoCase{
		{"test_pbkdf2", "pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=", "lètmein"},
		{"test_low_level_pbkdf2", "pbkdf2_sha256$390000$seasalt2$geC/uZ92nRXDSjSxeoiBqYyRcrLzMm8xK3ro1QS1uo8=", "lètmein"},
		// Django 3.2's make_password("lètmein", "seasalt", "pbkdf2_sha256"), run here.
		{"django 3.2", "pbkdf2_sha256$260000$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=", "lètmein"},
	})
}

func TestDjangoPBKDF2SHA1(t *testing.T) {
	checkDjangoCases(t, []djangoCase{
		{"test_low_level_pbkdf2_sha1", "pbkdf2_sha1$390000$seasalt2$aDapRanzW8aHTz97v2TcfHzWD+I=", "lètmein"},
	})
}

func TestDjangoArgon2(t *testing.T) {
	checkDjangoCases(t, []djangoCase{
		{"argon2id (test_argon2_version_upgrade)", "argon2$argon2id$v=19$m=102400,t=2,p=8$Y041dExhNkljRUUy$TMa6A8fPJhCAUXRhJXCXdw", "secret"},
		{"argon2i with version (test_argon2)", "argon2$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q", "secret"},
	})
	// Argon2 version 1.0 (Django's hashes without "v="): golang.org/x/crypto
	// implements 1.3 only, so such a hash is refused like a wrong password.
	old := "argon2$argon2i$m=8,t=1,p=1$c29tZXNhbHQ$gwQOXSNhxiOxPOA0+PY10P9QFO4NAYysnqRt1GSQLE55m+2GYDt9FEjPMHhP2Cuf0nOEXXMocVrsJAtNSsKyfg"
	if auth.CheckPassword(old, "secret") {
		t.Errorf("argon2i version 1.0: got a match, want it refused (not implemented)")
	}
	if _, ok := auth.DjangoAlgorithm(old); ok {
		t.Errorf("DjangoAlgorithm(argon2i version 1.0): got usable, want unusable")
	}
}

// Django's suite makes its bcrypt hashes at run time, so these were made by
// Django 3.2's make_password with Debian's python3-bcrypt (cost 4, to keep
// the test fast; the cost is read from the hash).

func TestDjangoBcryptSHA256(t *testing.T) {
	long := "VSK0UYV6FFQVZ0KG88DYN9WADAADZO1CTSIVDJUNZSUML6IBX7LN7ZS3R5JGB3RGZ7VI7G7DJQ9NI8BQFSRPTG6UWTTVESA5ZPUN"
	longHash := "bcrypt_sha256$$2b$04$N1OCaYAajsQCl8mHLAYtD.WfUGKHdjxC/sATMUII/Gu8OgzpjmUPK"
	checkDjangoCases(t, []djangoCase{
		{"lètmein", "bcrypt_sha256$$2b$04$JHL9SYU/xwe1oMAqu2D4Z.GYeJ7.G.ozbrY7khK20AACb.HxAjDfy", "lètmein"},
		{"past 72 bytes", longHash, long},
	})
	// As in Django's test_bcrypt_sha256: the SHA-256 first means a long
	// password is not cut at bcrypt's 72 bytes.
	if auth.CheckPassword(longHash, long[:72]) {
		t.Errorf("bcrypt_sha256: the first 72 bytes of the password matched, want only the whole password")
	}
}

func TestDjangoBcrypt(t *testing.T) {
	checkDjangoCases(t, []djangoCase{
		{"lètmein", "bcrypt$$2b$04$krReGjStbUd68v.BH.17reAvFGFDJaCCCXN4IbTL/9PnEUKnpPIzO", "lètmein"},
	})
	if blank := "bcrypt$$2b$04$075jrmCin33LqTh/KPshAu1a.zV02D8Dwnc3VPwXUdQSTwA2W0p6O"; !auth.CheckPassword(blank, "") || auth.CheckPassword(blank, " ") {
		t.Errorf("bcrypt of the blank password: want it to match \"\" only")
	}
}

func TestDjangoHashesRefused(t *testing.T) {
	for _, tt := range []struct {
		name, encoded, password, algorithm string
	}{
		{"unusable (make_password(None))", "!Oz3L5pYnAabDtc2sNuHLnrxbcg8ykGFQyrKpZBzb", "!Oz3L5pYnAabDtc2sNuHLnrxbcg8ykGFQyrKpZBzb", "unusable"},
		{"unusable, bare", "!", "", "unusable"},
		{"md5 (test_md5)", "md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3", "lètmein", "md5"},
		{"sha1 (test_sha1)", "sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc8", "lètmein", "sha1"},
		{"unsalted_md5 (test_unsalted_md5)", "88a434c88cca4e900f7874cd98123f43", "lètmein", "unknown"},
		{"unknown algorithm", "lolcat$salt$hash", "hash", "lolcat"},
		{"pbkdf2 cost out of bounds", "pbkdf2_sha256$99999999999$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=", "lètmein", "pbkdf2_sha256"},
		{"pbkdf2 damaged key", "pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ", "lètmein", "pbkdf2_sha256"},
		{"pbkdf2 missing part", "pbkdf2_sha256$390000$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=", "lètmein", "pbkdf2_sha256"},
		{"bcrypt damaged", "bcrypt$$2b$04$krReGjStbUd68v", "lètmein", "bcrypt"},
		{"bcrypt cost out of bounds", "bcrypt$$2b$31$krReGjStbUd68v.BH.17reAvFGFDJaCCCXN4IbTL/9PnEUKnpPIzO", "lètmein", "bcrypt"},
	} {
		if auth.CheckPassword(tt.encoded, tt.password) {
			t.Errorf("%s: CheckPassword: got true, want false", tt.name)
		}
		if got, _ := auth.DjangoAlgorithm(tt.encoded); got != tt.algorithm {
			t.Errorf("%s: DjangoAlgorithm: got %q, want %q", tt.name, got, tt.algorithm)
		}
	}
}
