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
	"strings"
)

//go:embed layouts pages
var files embed.FS

// Page is the part of every page's data that the layouts use.
type Page struct {
	Title    string // the page's own title
	SiteName string // the tenant's name, shown in the title and header
	CSRF     string // token for forms posted from the page
	Flash    string // a one-time confirmation message
	User     string // the logged-in admin user, if any
}

// Set is every page, parsed.
type Set struct {
	pages map[string]*template.Template
}

// Parse parses every page under pages/ with its layout: pages/admin/* and
// pages/platform/* (the platform admin) use layouts/admin.html, pages/public/*
// (the main domain's own site) layouts/public.html, everything else
// layouts/base.html.
func Parse() (*Set, error) {
	s := &Set{pages: map[string]*template.Template{}}
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
		s.pages[name] = t
		return nil
	})
	return s, err
}

// Render executes page name with data into w. It renders into a buffer first,
// so a template error never leaves half a page written.
func (s *Set) Render(w io.Writer, name string, data any) error {
	t, ok := s.pages[name]
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
	_, err := buf.WriteTo(w)
	return err
}

// funcs are the helpers templates may call.
var funcs = template.FuncMap{"plural": Plural}

// Plural picks the word for n things: singular for exactly one.
func Plural(n int64, singular, plural string) string {
	if n == 1 {
		return singular
	}
	return plural
}
