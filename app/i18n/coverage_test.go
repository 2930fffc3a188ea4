package i18n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"

	"polls/app/i18n"
)

// The check that keeps a tenant's site translated, run by go test and so
// by .ci/run. It reads the templates and the Go sources of the tenant site
// (the polls pages, the error pages and everything app/web shows on them)
// and fails when a text a visitor can read is not written through t or
// Localizer.T, or is missing from a catalog.

// tenantTemplates are the templates of a tenant's site that must speak its
// language. (The platform admin and the main domain's public site are
// English for now.)
var tenantTemplates = []string{
	"../../views/layouts/base.html",
	"../../views/pages/error.html",
	"../../views/pages/polls/*.html",
	"../../views/layouts/admin.html",
	"../../views/pages/admin/*.html",
}

// tenantGoPackages hold the handlers whose messages a tenant's visitors
// read.
var tenantGoPackages = []string{"../polls", "../web", "../admin", "../auth"}

func TestTenantTemplatesAreTranslated(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	stubs := template.FuncMap{"t": fmtStub, "msg": fmtStub, "date": fmtStub, "lang": fmtStub, "plural": fmtStub}
	for _, pattern := range tenantTemplates {
		files, err := filepath.Glob(pattern)
		if err != nil || len(files) == 0 {
			t.Fatalf("no templates at %s (%v)", pattern, err)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			tmpl, err := template.New(filepath.Base(f)).Funcs(stubs).Parse(string(src))
			if err != nil {
				t.Fatal(err)
			}
			for _, one := range tmpl.Templates() {
				if one.Tree == nil {
					continue
				}
				var text strings.Builder
				walk(one.Tree.Root, &text, func(key string) {
					requireKey(t, cat, f, key)
				})
				for _, bad := range untranslated(text.String()) {
					t.Errorf("%s: %q is shown to visitors but not written through t (add it to app/i18n/locales)", f, bad)
				}
			}
		}
	}
}

func fmtStub(...any) string { return "" }

// walk writes a template's text to text in document order, each action as
// \x00, and gives every literal key of a t call to key.
func walk(n parse.Node, text *strings.Builder, key func(string)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walk(c, text, key)
		}
	case *parse.TextNode:
		text.Write(n.Text)
	case *parse.ActionNode:
		text.WriteByte(0)
		pipe(n.Pipe, key)
	case *parse.IfNode:
		pipe(n.Pipe, key)
		walk(n.List, text, key)
		walk(n.ElseList, text, key)
	case *parse.RangeNode:
		pipe(n.Pipe, key)
		walk(n.List, text, key)
		walk(n.ElseList, text, key)
	case *parse.WithNode:
		pipe(n.Pipe, key)
		walk(n.List, text, key)
		walk(n.ElseList, text, key)
	case *parse.TemplateNode:
		text.WriteByte(0)
	}
}

func pipe(p *parse.PipeNode, key func(string)) {
	if p == nil {
		return
	}
	for _, cmd := range p.Cmds {
		if len(cmd.Args) >= 2 {
			if id, ok := cmd.Args[0].(*parse.IdentifierNode); ok && id.Ident == "t" {
				if s, ok := cmd.Args[1].(*parse.StringNode); ok {
					key(s.Text)
				}
			}
		}
		for _, a := range cmd.Args {
			if sub, ok := a.(*parse.PipeNode); ok {
				pipe(sub, key)
			}
		}
	}
}

var (
	comments = regexp.MustCompile(`(?s)<!--.*?-->`)
	// shownAttrs are the attributes a visitor reads (or hears).
	shownAttrs = regexp.MustCompile(`\b(placeholder|title|alt|aria-label)="([^"]*)"`)
	// buttons show their value.
	buttons  = regexp.MustCompile(`<input[^>]*type="(?:submit|button|reset)"[^>]*>`)
	values   = regexp.MustCompile(`\bvalue="([^"]*)"`)
	tags     = regexp.MustCompile(`(?s)<[^>]*>`)
	entities = regexp.MustCompile(`&#?[a-zA-Z0-9]+;`)
	letters  = regexp.MustCompile(`\pL`)
)

// untranslated returns the pieces of a template's text with letters in
// them outside actions, tags and comments, and in shown attributes.
func untranslated(text string) []string {
	text = comments.ReplaceAllString(text, "")
	var out []string
	for _, m := range shownAttrs.FindAllStringSubmatch(text, -1) {
		if letters.MatchString(m[2]) {
			out = append(out, m[0])
		}
	}
	for _, b := range buttons.FindAllString(text, -1) {
		if m := values.FindStringSubmatch(b); m != nil && letters.MatchString(m[1]) {
			out = append(out, m[0])
		}
	}
	text = tags.ReplaceAllString(text, "\x00")
	text = entities.ReplaceAllString(text, "")
	for _, piece := range strings.Split(text, "\x00") {
		if piece = strings.TrimSpace(piece); letters.MatchString(piece) {
			out = append(out, piece)
		}
	}
	return out
}

func requireKey(t *testing.T, cat *i18n.Catalogs, where, key string) {
	t.Helper()
	for _, l := range i18n.Languages {
		if !cat.Has(l, key) {
			t.Errorf("%s: %q is not in catalog %s (app/i18n/locales/%s.json)", where, key, l, l)
		}
	}
}

// TestTenantHandlerMessagesAreTranslated: every message the tenant site's
// Go code shows is in both catalogs. It finds them by how they are
// written: the literal first argument of a .T or .Message call, the text
// of echo.NewHTTPError, a constant named msg..., and a msg field or
// variable given a literal.
func TestTenantHandlerMessagesAreTranslated(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, dir := range tenantGoPackages {
		fset := token.NewFileSet()
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				for _, lit := range messageLiterals(n) {
					if s, ok := stringValue(lit); ok {
						found++
						requireKey(t, cat, fset.Position(lit.Pos()).String(), s)
					}
				}
				return true
			})
		}
	}
	if found < 20 {
		t.Errorf("found %d messages in %v; the check no longer recognises how they are written", found, tenantGoPackages)
	}
}

// messageLiterals returns the expressions of n that are messages shown to
// visitors.
func messageLiterals(n ast.Node) []ast.Expr {
	switch n := n.(type) {
	case *ast.CallExpr:
		sel, ok := n.Fun.(*ast.SelectorExpr)
		if !ok || len(n.Args) == 0 {
			return nil
		}
		switch sel.Sel.Name {
		case "T", "Message":
			return n.Args[:1]
		case "page", "Page": // the admin's page title: h.page(c, r, title, crumbs...)
			if len(n.Args) >= 3 {
				return n.Args[2:3]
			}
		case "NewHTTPError":
			if len(n.Args) >= 2 {
				return n.Args[1:2]
			}
		}
	case *ast.ValueSpec:
		var out []ast.Expr
		for i, name := range n.Names {
			if !(strings.HasPrefix(strings.ToLower(name.Name), "msg") || strings.HasPrefix(name.Name, "notice")) || i >= len(n.Values) {
				continue
			}
			if m, ok := n.Values[i].(*ast.CompositeLit); ok { // a table of messages
				for _, e := range m.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						out = append(out, kv.Value)
					}
				}
				continue
			}
			out = append(out, n.Values[i])
		}
		return out
	case *ast.KeyValueExpr:
		if k, ok := n.Key.(*ast.Ident); ok && (k.Name == "msg" || k.Name == "Label") {
			return []ast.Expr{n.Value}
		}
	case *ast.CompositeLit: // an admin breadcrumb: crumb{"Polls", path}
		if id, ok := n.Type.(*ast.Ident); ok && id.Name == "crumb" && len(n.Elts) > 0 {
			if _, keyed := n.Elts[0].(*ast.KeyValueExpr); !keyed {
				return n.Elts[:1]
			}
		}
	case *ast.AssignStmt:
		var out []ast.Expr
		for i, lhs := range n.Lhs {
			if id, ok := lhs.(*ast.Ident); ok && id.Name == "msg" && i < len(n.Rhs) {
				out = append(out, n.Rhs[i])
			}
		}
		return out
	}
	return nil
}

// stringValue is the value of a string literal, or of literals joined
// with +.
func stringValue(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := stringValue(e.X)
		b, ok2 := stringValue(e.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return stringValue(e.X)
	}
	return "", false
}

func TestUntranslatedFindsText(t *testing.T) {
	got := untranslated("<h1>\x00</h1>\n<p>Hello</p><input type=\"submit\" value=\"Vote\"><option value=\"x_y\"><a title=\"\x00\">&nbsp;›</a><!-- a note -->")
	if len(got) != 2 || got[0] != `value="Vote"` || got[1] != "Hello" {
		t.Errorf("untranslated: got %q, want the value attribute and Hello", got)
	}
}
