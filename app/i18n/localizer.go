package i18n

import (
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Localizer speaks one language: handlers get one for their request's
// language (Catalogs.For) and templates call it through t and date.
type Localizer struct {
	lang    Lang
	printer *message.Printer
	keys    map[string]bool
	plain   map[string]string // T of the keys with nothing to fill in, made once
	filled  []filled
}

// For returns the Localizer of l; an unknown l gets English.
func (c *Catalogs) For(l Lang) Localizer {
	p, ok := c.printer[l]
	if !ok {
		l, p = English, c.printer[English]
	}
	return Localizer{lang: l, printer: p, keys: c.keys[l], plain: c.plain[l], filled: c.filled}
}

// Lang is the language the Localizer speaks.
func (z Localizer) Lang() Lang { return z.lang }

// T translates key, the English text, and fills in args as fmt would; a
// key with plural forms picks its form by the first argument. A key missing
// from the catalog is shown as it is (in English): the tests catch that.
func (z Localizer) T(key string, args ...any) string {
	if len(args) == 0 {
		if s, ok := z.plain[key]; ok {
			return s
		}
	}
	return z.printer.Sprintf(key, plainNumbers(args)...)
}

// plainNumbers writes integers without a thousands separator, as Django
// does by default (USE_THOUSAND_SEPARATOR = False): "1000 forms", in both
// languages. They stay numbers, so plural forms are still chosen by them.
func plainNumbers(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch a.(type) {
		case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
			out[i] = number.Decimal(a, number.NoSeparator())
		default:
			out[i] = a
		}
	}
	return out
}

// Message translates a finished message, such as an error's text, which
// may hold text of its own (a host name, a %): a catalog key word for word,
// or an English text of the catalog with its blanks filled in ("Ensure this
// value has at most 150 characters (it has 200).", filled again in z's
// language). Anything else is shown unchanged.
func (z Localizer) Message(msg string) string {
	if z.keys[msg] {
		return z.printer.Sprintf(msg)
	}
	for _, f := range z.filled {
		if args, ok := f.match(msg); ok && z.keys[f.key] {
			return z.T(f.key, args...)
		}
	}
	return msg
}
