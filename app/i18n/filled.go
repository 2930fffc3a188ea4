package i18n

import (
	"regexp"
	"strconv"
	"strings"
)

// filled recognises one English text with blanks (%d, %s) once they are
// filled in, and gives back what filled them, so that a message made in
// English by code that knows no language can still be shown translated.
type filled struct {
	key   string
	re    *regexp.Regexp
	verbs []byte // 'd' or 's', one per blank
}

// verb is a blank of a catalog text.
var verb = regexp.MustCompile(`%[ds]`)

// newFilled builds the recogniser of form, a text of key; false when form
// has no blank.
func newFilled(key, form string) (filled, bool) {
	f := filled{key: key}
	var re strings.Builder
	re.WriteString("^")
	last := 0
	for _, loc := range verb.FindAllStringIndex(form, -1) {
		re.WriteString(regexp.QuoteMeta(form[last:loc[0]]))
		if form[loc[1]-1] == 'd' {
			re.WriteString(`(-?\d+)`)
		} else {
			re.WriteString(`(.+?)`)
		}
		f.verbs = append(f.verbs, form[loc[1]-1])
		last = loc[1]
	}
	if len(f.verbs) == 0 {
		return f, false
	}
	re.WriteString(regexp.QuoteMeta(form[last:]) + "$")
	f.re = regexp.MustCompile(re.String())
	return f, true
}

// match returns the values that filled msg's blanks, if msg is this text.
func (f filled) match(msg string) ([]any, bool) {
	m := f.re.FindStringSubmatch(msg)
	if m == nil {
		return nil, false
	}
	args := make([]any, len(f.verbs))
	for i, v := range f.verbs {
		if v == 's' {
			args[i] = m[i+1]
			continue
		}
		n, err := strconv.ParseInt(m[i+1], 10, 64)
		if err != nil {
			return nil, false
		}
		args[i] = n
	}
	return args, true
}
