package i18n

import "golang.org/x/text/language"

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
	// The tenant's own language first: the matcher falls back to it.
	supported := []language.Tag{language.Make(string(own))}
	langs := []Lang{own}
	for _, l := range Languages {
		if l != own {
			supported = append(supported, language.Make(string(l)))
			langs = append(langs, l)
		}
	}
	_, i, conf := language.NewMatcher(supported).Match(wanted...)
	if conf == language.No {
		return own
	}
	return langs[i]
}
