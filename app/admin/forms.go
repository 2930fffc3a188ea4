package admin

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Django's form messages, word for word.
const (
	msgRequired         = "This field is required."
	msgInvalidDateTime  = "Enter a valid date/time."
	msgMaxLength        = "Ensure this value has at most %d characters (it has %d)."
	msgPasswordMismatch = "The two password fields didn’t match."
	msgNullCharacters   = "Null characters are not allowed."
)

// msgInvalidText is ours: Django never sees invalid UTF-8 (it decodes posted
// bytes with replacement characters), so it has no message for it.
const msgInvalidText = "Enter valid text: this value is not valid UTF-8."

// dateTimeLocal is the value format of <input type="datetime-local">; browsers
// add seconds when the step asks for them, so those are accepted too.
const (
	dateTimeLocal        = "2006-01-02T15:04"
	dateTimeLocalSeconds = "2006-01-02T15:04:05"
)

// fieldErrors holds a form's messages by field name; the template shows each
// list next to its field.
type fieldErrors map[string][]string

func (e fieldErrors) add(field, msg string) { e[field] = append(e[field], msg) }

// count is how many messages the form has.
func (e fieldErrors) count() int {
	n := 0
	for _, msgs := range e {
		n += len(msgs)
	}
	return n
}

// errorNote is the line above a form that failed validation with n errors.
func errorNote(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return "Please correct the error below."
	}
	return "Please correct the errors below."
}

// textProblem is the one check every admin text field passes before anything
// else looks at it, or "" when there is nothing to say. PostgreSQL cannot
// store a NUL character nor invalid UTF-8 in text and fails the whole
// statement, so such a value must become a field error here, before it
// reaches a query (Django's ProhibitNullCharactersValidator, which every
// CharField has, plus the UTF-8 check Go's strings need and Python's don't).
func textProblem(value string) string {
	switch {
	case strings.IndexByte(value, 0) >= 0:
		return msgNullCharacters
	case !utf8.ValidString(value):
		return msgInvalidText
	}
	return ""
}

// validText adds textProblem's message, if any, to field and reports whether
// the value may be checked further.
func validText(errs fieldErrors, field, value string) bool {
	if msg := textProblem(value); msg != "" {
		errs.add(field, msg)
		return false
	}
	return true
}

// requiredText checks a required text field of at most max characters and
// returns it trimmed, as Django's CharField does.
func requiredText(errs fieldErrors, field, value string, max int) string {
	v := strings.TrimSpace(value)
	if !validText(errs, field, v) {
		return v
	}
	if v == "" {
		errs.add(field, msgRequired)
		return v
	}
	if n := utf8.RuneCountInString(v); n > max {
		errs.add(field, fmt.Sprintf(msgMaxLength, max, n))
	}
	return v
}

// optionalText checks a text field that may be blank, of at most max
// characters, and returns it trimmed (Django's CharField with blank=True).
func optionalText(errs fieldErrors, field, value string, max int) string {
	v := strings.TrimSpace(value)
	if !validText(errs, field, v) {
		return v
	}
	if n := utf8.RuneCountInString(v); n > max {
		errs.add(field, fmt.Sprintf(msgMaxLength, max, n))
	}
	return v
}

// parseDateTime reads a datetime-local value as UTC: the admin shows and takes
// every time in UTC, and says so next to the field.
func parseDateTime(errs fieldErrors, field, value string) time.Time {
	v := strings.TrimSpace(value)
	if v == "" {
		errs.add(field, msgRequired)
		return time.Time{}
	}
	for _, layout := range []string{dateTimeLocal, dateTimeLocalSeconds} {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t
		}
	}
	errs.add(field, msgInvalidDateTime)
	return time.Time{}
}

// dateTimeValue is t as a datetime-local value, in UTC.
func dateTimeValue(t time.Time) string { return t.UTC().Format(dateTimeLocal) }
