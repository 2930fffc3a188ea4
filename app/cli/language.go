package cli

import (
	"polls/app/i18n"
	"polls/app/tenant"
)

// parseLanguageFlags reads --language (a language polls speaks, or "" for
// the default) and --languages (own or any).
func parseLanguageFlags(lang, langs string) (tenant.Language, error) {
	out := tenant.Language{Own: lang}
	if lang != "" {
		if _, err := i18n.Parse(lang); err != nil {
			return out, usageError("--language: %v", err)
		}
	}
	any, err := parseLanguages(langs)
	out.Any = any
	return out, err
}

// parseLanguages reads --languages: own (false) or any (true).
func parseLanguages(v string) (bool, error) {
	switch v {
	case "own":
		return false, nil
	case "any":
		return true, nil
	}
	return false, usageError("--languages %q is not own or any", v)
}

// describeLanguage says what a tenant speaks, as tenants and settenant
// print it: "fr" or "fr (visitors may pick any)".
func describeLanguage(l tenant.Language) string {
	if l.Any {
		return l.Own + " (visitors may pick any)"
	}
	return l.Own
}
