package i18n

import (
	"sync"

	"golang.org/x/text/language"
)

// Negotiate picks the language of a request to a tenant whose own language
// is own: with any false, always own; with any true, the best match for the
// visitor's Accept-Language header among the languages polls speaks, own
// when the header names none of them (or is missing or malformed).
func Negotiate(own Lang, any bool, acceptLanguage string) Lang {
	if !any || acceptLanguage == "" {
		return own
	}
	wanted, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(wanted) == 0 {
		return own
	}
	m, ok := matchers()[own]
	if !ok {
		return own
	}
	_, i, conf := m.matcher.Match(wanted...)
	if conf == language.No {
		return own
	}
	return m.langs[i]
}

// ownFirst is a matcher over every language polls speaks with one of them
// first, so that the matcher falls back to it; langs[i] is its i-th tag.
type ownFirst struct {
	matcher language.Matcher
	langs   []Lang
}

// matchers holds a matcher per own language, built once: building one costs
// far more than matching, and Negotiate runs on every request of a tenant
// whose visitors may pick. Read-only once built.
var matchers = sync.OnceValue(func() map[Lang]ownFirst {
	out := make(map[Lang]ownFirst, len(Languages))
	for _, own := range Languages {
		langs := []Lang{own}
		tags := []language.Tag{language.Make(string(own))}
		for _, l := range Languages {
			if l != own {
				langs = append(langs, l)
				tags = append(tags, language.Make(string(l)))
			}
		}
		out[own] = ownFirst{matcher: language.NewMatcher(tags), langs: langs}
	}
	return out
})
