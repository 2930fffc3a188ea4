package platformadmin

import (
	"strconv"
)

// quoted is how Django names an object in messages: “like this”.
func quoted(s string) string { return "“" + s + "”" }

// itoa is a number in decimal.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }
