package models

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of an admin search. Every word becomes one more ILIKE that every row
// is matched against, and the search box is a field anyone with a login can
// fill: 30,000 words once kept a request busy for 6 s. Ten words of a
// hundred characters are more than a person types.
const (
	MaxSearchTerms      = 10
	MaxSearchTermLength = 100
)

// SearchTerms splits a search into the words a match must all contain, as
// Django's admin does (at whitespace), within the limits above: words past
// the MaxSearchTerms-th are ignored and a longer word is cut to its first
// MaxSearchTermLength characters. cut reports whether either happened, so
// the page can say so. It reads no further than it needs to.
func SearchTerms(search string) (terms []string, cut bool) {
	rest := search
	for {
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if rest == "" {
			return terms, cut
		}
		if len(terms) == MaxSearchTerms {
			return terms, true
		}
		end := strings.IndexFunc(rest, unicode.IsSpace)
		if end < 0 {
			end = len(rest)
		}
		word := rest[:end]
		rest = rest[end:]
		if utf8.RuneCountInString(word) > MaxSearchTermLength {
			word, cut = string([]rune(word)[:MaxSearchTermLength]), true
		}
		terms = append(terms, word)
	}
}
