package djangoimport

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"polls/app/auth"
)

// check finds the rows polls' tables would refuse (so that a dry run
// reports them, and an import does not start on them), and notes what users
// lose: a login when polls cannot verify their hash.
// Django's columns have the same limits as polls' unless widened by hand.
func (snap *Snapshot) check() {
	text := func(what string, id int64, value string, limit int) {
		switch n := utf8.RuneCountInString(value); {
		case n == 0:
			snap.Problems = append(snap.Problems, fmt.Sprintf("%s %d is empty, which polls refuses", what, id))
		case n > limit:
			snap.Problems = append(snap.Problems, fmt.Sprintf("%s %d is %d characters long; polls takes at most %d", what, id, n, limit))
		}
	}
	for _, q := range snap.Questions {
		text("the text of question", q.ID, q.Text, 200)
	}
	for _, c := range snap.Choices {
		text("the text of choice", c.ID, c.Text, 200)
	}
	var unusable []string
	for _, u := range snap.Users {
		text("the username of user", u.ID, u.Username, 150)
		if n := utf8.RuneCountInString(u.Email); n > 254 {
			snap.Problems = append(snap.Problems, fmt.Sprintf("the email of user %d is %d characters long; polls takes at most 254", u.ID, n))
		}
		if n := utf8.RuneCountInString(u.Password); n > 255 {
			snap.Problems = append(snap.Problems, fmt.Sprintf("the password hash of user %d is %d characters long; polls takes at most 255", u.ID, n))
		}
		for _, name := range []struct{ what, value string }{{"first name", u.FirstName}, {"last name", u.LastName}} {
			if n := utf8.RuneCountInString(name.value); n > 150 {
				snap.Problems = append(snap.Problems, fmt.Sprintf("the %s of user %d is %d characters long; polls takes at most 150", name.what, u.ID, n))
			}
		}
		if alg, ok := auth.DjangoAlgorithm(u.Password); !ok {
			unusable = append(unusable, fmt.Sprintf("%s (%s)", u.Username, alg))
		}
	}
	for _, a := range snap.Actions {
		if a.ActionFlag < 1 || a.ActionFlag > 3 {
			snap.Problems = append(snap.Problems, fmt.Sprintf("admin log entry %d has action flag %d; Django's are 1, 2 and 3", a.ID, a.ActionFlag))
		}
	}
	if len(unusable) > 0 {
		snap.Notes = append(snap.Notes, fmt.Sprintf("%d users have no password polls can verify, and cannot log in until a superuser sets one: %s",
			len(unusable), strings.Join(unusable, ", ")))
	}
}
