package webctx

import "strconv"

// ParseID reads an object's id from a URL or a form as Django's <int:...>
// path converter does: one or more ASCII digits (no sign, no spaces) that
// fit an int64. The polls pages and the admin both use it, so one URL means
// the same object on both.
func ParseID(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return id, true
}
