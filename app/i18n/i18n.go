// Package i18n is the language of tenant sites: message catalogs (one JSON
// file per language under locales/, embedded), CLDR plural rules, dates in
// each language's own format, and choosing the language of a request.
//
// It builds on golang.org/x/text (message, catalog, plural, language): the
// module was already a dependency of polls, it is maintained by the Go team,
// it ships CLDR's plural rules and a BCP 47 matcher for Accept-Language, and
// its catalog.Builder takes messages at run time, so the catalogs stay plain
// JSON files that translators edit without a code generator.
//
// The rule for code that shows text to a tenant's visitors or admins: write
// the English text as a literal in a call to Localizer.T (Go) or t
// (templates), and add it to every file under locales/. The tests of this
// package fail when a literal is missing from a catalog.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Lang is a language polls speaks, as a BCP 47 tag: "en" or "fr".
type Lang string

// The languages polls speaks.
const (
	English Lang = "en"
	French  Lang = "fr"
)

// Languages lists every language polls speaks, English first.
var Languages = []Lang{English, French}

// Parse checks that s names a language polls speaks.
func Parse(s string) (Lang, error) {
	for _, l := range Languages {
		if string(l) == s {
			return l, nil
		}
	}
	return "", fmt.Errorf("unknown language %q (want one of: %s)", s, strings.Join(Names(), ", "))
}

// Names are the languages' tags, for messages and --help.
func Names() []string {
	out := make([]string, len(Languages))
	for i, l := range Languages {
		out[i] = string(l)
	}
	return out
}

//go:embed locales/*.json
var locales embed.FS

// Catalogs holds every language's messages, loaded once at start.
type Catalogs struct {
	builder *catalog.Builder
	keys    map[Lang]map[string]bool
	texts   map[Lang]map[string][]string // every form of each message, as written
	printer map[Lang]*message.Printer
	filled  []filled // how to recognise an English message with its blanks filled in
	// plain holds each language's translation of every key with no blank
	// to fill, made once: most texts of a page are such, and formatting
	// them at each request cost more than the rest of the page's text.
	plain map[Lang]map[string]string
}

// Load reads the embedded catalogs. A file that does not parse, or a plural
// entry with no "other" form, is an error: the binary must not start with a
// broken catalog.
func Load() (*Catalogs, error) {
	c := &Catalogs{builder: catalog.NewBuilder(catalog.Fallback(language.English)),
		keys: map[Lang]map[string]bool{}, texts: map[Lang]map[string][]string{}, printer: map[Lang]*message.Printer{},
		plain: map[Lang]map[string]string{}}
	for _, l := range Languages {
		raw, err := fs.ReadFile(locales, "locales/"+string(l)+".json")
		if err != nil {
			return nil, fmt.Errorf("i18n: catalog %s: %w", l, err)
		}
		if err := c.add(l, raw); err != nil {
			return nil, fmt.Errorf("i18n: catalog %s: %w", l, err)
		}
		c.printer[l] = message.NewPrinter(language.Make(string(l)), message.Catalog(c.builder))
		c.plain[l] = map[string]string{}
		for key := range c.keys[l] {
			if !strings.Contains(key, "%") {
				c.plain[l][key] = c.printer[l].Sprintf(key)
			}
		}
	}
	for _, key := range c.Keys(English) {
		for _, form := range c.texts[English][key] {
			if f, ok := newFilled(key, form); ok {
				c.filled = append(c.filled, f)
			}
		}
	}
	return c, nil
}

// add loads one catalog: an object whose keys are the English texts and
// whose values are either the translation or, for a message with a count,
// an object of CLDR plural forms ("one", "other", ...) chosen by the first
// argument.
func (c *Catalogs) add(l Lang, raw []byte) error {
	var entries map[string]json.RawMessage
	if err := json.Unmarshal(raw, &entries); err != nil {
		return err
	}
	tag := language.Make(string(l))
	c.keys[l] = map[string]bool{}
	c.texts[l] = map[string][]string{}
	for key, v := range entries {
		c.keys[l][key] = true
		var s string
		if json.Unmarshal(v, &s) == nil {
			c.texts[l][key] = []string{s}
			if err := c.builder.SetString(tag, key, s); err != nil {
				return fmt.Errorf("%q: %w", key, err)
			}
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil {
			return fmt.Errorf("%q: want a string or an object of plural forms", key)
		}
		if _, ok := forms["other"]; !ok {
			return fmt.Errorf("%q: plural forms without \"other\"", key)
		}
		cases := make([]any, 0, 2*len(forms))
		for _, form := range pluralOrder {
			if text, ok := forms[form]; ok {
				cases = append(cases, form, text)
				c.texts[l][key] = append(c.texts[l][key], text)
				delete(forms, form)
			}
		}
		if len(forms) > 0 {
			return fmt.Errorf("%q: unknown plural forms %v (want zero, one, two, few, many, other)", key, sorted(forms))
		}
		if err := c.builder.Set(tag, key, plural.Selectf(1, "", cases...)); err != nil {
			return fmt.Errorf("%q: %w", key, err)
		}
	}
	return nil
}

// pluralOrder lists CLDR's plural categories, "other" last as x/text wants.
var pluralOrder = []string{"zero", "one", "two", "few", "many", "other"}

// Has reports whether l's catalog has a message for key.
func (c *Catalogs) Has(l Lang, key string) bool { return c.keys[l][key] }

// Texts returns every form of key's message in l, as the catalog writes
// it (with its %d): one, or one per plural form.
func (c *Catalogs) Texts(l Lang, key string) []string { return c.texts[l][key] }

// Keys lists the keys of l's catalog, sorted.
func (c *Catalogs) Keys(l Lang) []string {
	out := make([]string, 0, len(c.keys[l]))
	for k := range c.keys[l] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sorted(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
