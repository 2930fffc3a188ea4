package auth

import (
	_ "embed"
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Django's default password validation: the messages are Django's, word for
// word, because the people typing them know them.
const (
	MsgPasswordTooShort   = "This password is too short. It must contain at least 8 characters."
	MsgPasswordTooCommon  = "This password is too common."
	MsgPasswordNumeric    = "This password is entirely numeric."
	minPasswordLength     = 8
	maxSimilarity         = 0.7
	maxUsernameLength     = 150
	maxEmailLength        = 254
	msgInvalidUsername    = "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."
	msgInvalidEmail       = "Enter a valid email address."
	msgSimilarTo          = "The password is too similar to the %s."
	msgTooLongFieldFormat = "Ensure this value has at most %d characters (it has %d)."
)

//go:embed common-passwords.txt
var commonPasswords string

// PasswordProblems runs Django's four default validators (similarity to the
// username and email, minimum length, common passwords, all digits) in
// Django's order and returns their messages; none means the password is
// acceptable.
func PasswordProblems(password, username, email string) []string {
	var msgs []string
	if msg := similarity(password, username, email); msg != "" {
		msgs = append(msgs, msg)
	}
	if utf8.RuneCountInString(password) < minPasswordLength {
		msgs = append(msgs, MsgPasswordTooShort)
	}
	if isCommonPassword(password) {
		msgs = append(msgs, MsgPasswordTooCommon)
	}
	if password != "" && strings.IndexFunc(password, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
		msgs = append(msgs, MsgPasswordNumeric)
	}
	return msgs
}

// similarity is Django's UserAttributeSimilarityValidator: the password may
// not resemble the whole username or email, nor any word of them.
func similarity(password, username, email string) string {
	pw := strings.ToLower(password)
	for _, attr := range []struct{ value, name string }{{username, "username"}, {email, "email address"}} {
		if attr.value == "" {
			continue
		}
		v := strings.ToLower(attr.value)
		parts := append(strings.FieldsFunc(v, isNonWord), v)
		for _, part := range parts {
			if exceedsLengthRatio(pw, part) {
				continue
			}
			if quickRatio(pw, part) >= maxSimilarity {
				return fmt.Sprintf(msgSimilarTo, attr.name)
			}
		}
	}
	return ""
}

func isNonWord(r rune) bool { return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') }

// exceedsLengthRatio is Django's shortcut: a password ten times longer than
// a short value cannot be "too similar" to it.
func exceedsLengthRatio(password, value string) bool {
	pl, vl := utf8.RuneCountInString(password), utf8.RuneCountInString(value)
	return pl >= 10*vl && float64(vl) < maxSimilarity/2*float64(pl)
}

// quickRatio is Python's difflib SequenceMatcher.quick_ratio: twice the number
// of characters the two strings have in common (as multisets) over their total
// length.
func quickRatio(a, b string) float64 {
	avail := map[rune]int{}
	for _, r := range b {
		avail[r]++
	}
	matches := 0
	for _, r := range a {
		if avail[r] > 0 {
			matches++
		}
		avail[r]--
	}
	total := utf8.RuneCountInString(a) + utf8.RuneCountInString(b)
	if total == 0 {
		return 1
	}
	return 2 * float64(matches) / float64(total)
}

// isCommonPassword looks the password up in the embedded list, as Django's
// CommonPasswordValidator does: lowercased, surrounding spaces ignored.
func isCommonPassword(password string) bool {
	pw := strings.ToLower(strings.TrimSpace(password))
	if pw == "" || strings.ContainsAny(pw, "\r\n") {
		return false
	}
	for _, line := range strings.Split(commonPasswords, "\n") {
		if line == pw && !strings.HasPrefix(line, "#") {
			return true
		}
	}
	return false
}

// UsernameProblem returns Django's message for an unacceptable username, or "".
func UsernameProblem(username string) string {
	if username == "" {
		return "This field cannot be blank."
	}
	if n := utf8.RuneCountInString(username); n > maxUsernameLength {
		return fmt.Sprintf(msgTooLongFieldFormat, maxUsernameLength, n)
	}
	for _, r := range username {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("_.@+-", r)) {
			return msgInvalidUsername
		}
	}
	return ""
}

// EmailProblem returns a message for an unacceptable email address, or "".
// Blank is acceptable: Django's users need no email.
func EmailProblem(email string) string {
	if email == "" {
		return ""
	}
	if n := utf8.RuneCountInString(email); n > maxEmailLength {
		return fmt.Sprintf(msgTooLongFieldFormat, maxEmailLength, n)
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || a.Name != "" {
		return msgInvalidEmail
	}
	at := strings.LastIndexByte(email, '@')
	if at <= 0 || at == len(email)-1 {
		return msgInvalidEmail
	}
	return ""
}
