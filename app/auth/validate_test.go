package auth

import (
	"slices"
	"strings"
	"testing"
)

func TestPasswordProblems(t *testing.T) {
	const (
		short   = MsgPasswordTooShort
		common  = MsgPasswordTooCommon
		numeric = MsgPasswordNumeric
	)
	for _, tt := range []struct {
		password, username, email string
		want                      []string
	}{
		{"correct horse battery", "admin", "admin@example.com", nil},
		{"abc", "", "", []string{short}},
		{"password", "", "", []string{common}},
		{"PassWord", "", "", []string{common}},
		{" qwerty123 ", "", "", []string{common}},
		{"1234", "", "", []string{short, common, numeric}},
		{"90817263544", "", "", []string{numeric}},
		{"thomas1984", "thomas", "", []string{"The password is too similar to the username."}},
		{"mariecurie!", "admin", "mariecurie@example.com", []string{"The password is too similar to the email address."}},
		{"admin123", "admin", "", []string{"The password is too similar to the username.", common}},
		{"adminadmin", "admin", "", []string{common}}, // quick_ratio 10/15, under 0.7, as in Django
		// Ten times longer than a short username cannot be "too similar" to it.
		{"a quite long passphrase", "al", "", nil},
		{"# passwords too common to accept", "", "", nil}, // the list's comment lines are not passwords
	} {
		if got := PasswordProblems(tt.password, tt.username, tt.email); !slices.Equal(got, tt.want) {
			t.Errorf("PasswordProblems(%q, %q, %q): got %q, want %q", tt.password, tt.username, tt.email, got, tt.want)
		}
	}
}

func TestQuickRatioMatchesPython(t *testing.T) {
	// Values from Python: difflib.SequenceMatcher(a=a, b=b).quick_ratio().
	for _, tt := range []struct {
		a, b string
		want float64
	}{
		{"abcd", "bcde", 0.75},
		{"thomas1984", "thomas", 0.75},
		{"aaaa", "a", 0.4},
		{"", "", 1},
	} {
		if got := quickRatio(tt.a, tt.b); got != tt.want {
			t.Errorf("quickRatio(%q, %q): got %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestCommonPasswordListIsClean(t *testing.T) {
	n := 0
	for _, line := range strings.Split(commonPasswords, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		if line != strings.ToLower(strings.TrimSpace(line)) {
			t.Errorf("list entry %q: got mixed case or spaces, want lowercase and trimmed (lookups lowercase)", line)
		}
	}
	if n < 300 {
		t.Errorf("list size: got %d, want at least 300", n)
	}
}

func TestUsernameAndEmailProblems(t *testing.T) {
	for _, tt := range []struct{ username, want string }{
		{"admin", ""},
		{"jean.dupont+polls@x_y-z", ""},
		{"élodie", ""},
		{"", "This field cannot be blank."},
		{"has space", "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."},
		{strings.Repeat("a", 151), "Ensure this value has at most 150 characters (it has 151)."},
	} {
		if got := UsernameProblem(tt.username); got != tt.want {
			t.Errorf("UsernameProblem(%q): got %q, want %q", tt.username, got, tt.want)
		}
	}
	for _, tt := range []struct{ email, want string }{
		{"", ""},
		{"admin@example.com", ""},
		{"not-an-email", "Enter a valid email address."},
		{"Admin <admin@example.com>", "Enter a valid email address."},
		{"admin@", "Enter a valid email address."},
	} {
		if got := EmailProblem(tt.email); got != tt.want {
			t.Errorf("EmailProblem(%q): got %q, want %q", tt.email, got, tt.want)
		}
	}
}
