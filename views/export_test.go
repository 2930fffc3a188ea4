package views

import (
	"slices"

	"polls/app/i18n"
)

// Parsed reports whether lang's pages have been parsed yet: for the test of
// parsing on first use.
func (s *Set) Parsed(lang i18n.Lang) bool {
	i := slices.Index(i18n.Languages, lang)
	return i >= 0 && s.langs[i].Load() != nil
}
