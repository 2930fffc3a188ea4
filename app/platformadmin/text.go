package platformadmin

import (
	"strconv"
	"unicode/utf8"
)

func quoted(s string) string { return "“" + s + "”" }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func utf8Valid(s string) bool { return utf8.ValidString(s) }
