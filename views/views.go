// Package views holds the HTML templates, embedded in the binary. Each page is
// parsed into its own template set together with its layout, so that pages may
// all define "content" without overwriting each other.
package views

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"polls/app/i18n"
)

//go:embed layouts pages
var files embed.FS

// Page is the part of every page's data that the layouts use. Every page's
// data embeds it, and templates name its fields through it, .Page.Title and
// not .Title: text/template looks a field up by name on every use, and one
// promoted from an embedded struct takes reflect's slow search, about five
// allocations each time (TestTemplatesReachPageFieldsThroughPage).
type Page struct {
	Title    string // the page's own title
	SiteName string // the tenant's name, shown in the title and header
	CSRF     string // token for forms posted from the page
	Flash    string // a one-time confirmation message
	User     string // the logged-in admin user, if any
	// Lang is the language the page is written in: it picks the catalog
	// of t, plural and date, and fills <html lang>. Empty means English.
	Lang i18n.Lang
}

// pageLang is how Render finds the language in any page's data: every
// page's data embeds Page.
func (p Page) pageLang() i18n.Lang { return p.Lang }

// localized is the data of a page that says its language.
type localized interface{ pageLang() i18n.Lang }

// Set is every page, parsed once per language so that t, plural and date
// speak the page's language without any global state. A language's pages are
// parsed the first time one of them is rendered: each language holds about
// 0.7 MB of parsed templates for serve's whole life, and most installations
// speak one or two of them. English is parsed by Parse, which so reports any
// template error at start (every language parses the same files).
type Set struct {
	cat   *i18n.Catalogs
	mu    sync.Mutex                      // one parse of a language at a time
	langs []atomic.Pointer[languagePages] // by index in i18n.Languages; nil until parsed
}

// languagePages are one language's pages by name.
type languagePages map[string]*template.Template

// Parse parses every page under pages/ with its layout: pages/admin/* and
// pages/platform/* (the platform admin) use layouts/admin.html, pages/public/*
// (the main domain's own site) layouts/public.html, everything else
// layouts/base.html.
func Parse() (*Set, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	s := &Set{cat: cat, langs: make([]atomic.Pointer[languagePages], len(i18n.Languages))}
	if _, err := s.pagesOf(i18n.English); err != nil {
		return nil, err
	}
	return s, nil
}

// pagesOf returns lang's pages, parsing them the first time.
func (s *Set) pagesOf(lang i18n.Lang) (languagePages, error) {
	i := slices.Index(i18n.Languages, lang)
	if i < 0 {
		return nil, fmt.Errorf("no pages in language %q", lang)
	}
	if p := s.langs[i].Load(); p != nil {
		return *p, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.langs[i].Load(); p != nil {
		return *p, nil
	}
	p, err := parse(funcsFor(s.cat.For(lang)))
	if err != nil {
		return nil, err
	}
	s.langs[i].Store(&p)
	return p, nil
}

// parse parses every page with the helpers of one language.
func parse(funcs template.FuncMap) (languagePages, error) {
	pages := languagePages{}
	err := fs.WalkDir(files, "pages", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, "pages/"), ".html")
		layout := "layouts/base.html"
		switch {
		case strings.HasPrefix(name, "admin/"), strings.HasPrefix(name, "platform/"):
			layout = "layouts/admin.html"
		case strings.HasPrefix(name, "public/"):
			layout = "layouts/public.html"
		}
		t, err := template.New(path.Base(layout)).Funcs(funcs).ParseFS(files, layout, p)
		if err != nil {
			return fmt.Errorf("parse %s: %w", p, err)
		}
		pages[name] = t
		return nil
	})
	return pages, err
}

// Render executes page name with data into w. It renders into a buffer first,
// so a template error never leaves half a page written.
func (s *Set) Render(w io.Writer, name string, data any) error {
	lang := i18n.English
	if p, ok := data.(localized); ok && p.pageLang() != "" {
		lang = p.pageLang()
	}
	pages, err := s.pagesOf(lang)
	if err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	t, ok := pages[name]
	if !ok {
		return fmt.Errorf("render %s: no such page", name)
	}
	// A buffer given by the caller (echo renders into one) is written in place
	// and cut back on error; anything else gets a buffer of its own first.
	if buf, ok := w.(*bytes.Buffer); ok {
		start := buf.Len()
		if err := t.Execute(buf, data); err != nil {
			buf.Truncate(start)
			return fmt.Errorf("render %s: %w", name, err)
		}
		return nil
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	_, err = buf.WriteTo(w)
	return err
}

// funcsFor are the helpers templates may call, speaking z's language:
// t translates (as i18n.Localizer.T: {{t "%d vote" .Votes}}), msg a message
// made in Go (an error, a label: shown as it is when no catalog has it), date writes a
// time, lang is the language's tag. plural is for the pages that stay in
// English (the platform admin, the public site).
func funcsFor(z i18n.Localizer) template.FuncMap {
	return template.FuncMap{"plural": Plural, "t": z.T, "msg": z.Message, "date": z.Date,
		"lang": func() string { return string(z.Lang()) }}
}

// Plural picks the word for n things: singular for exactly one.
func Plural(n int64, singular, plural string) string {
	if n == 1 {
		return singular
	}
	return plural
}
