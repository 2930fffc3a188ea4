package views_test

import (
	"bytes"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"

	"polls/app/i18n"
	"polls/views"
)

func TestRenderLeavesNoHalfPageOnError(t *testing.T) {
	set, err := views.Parse()
	if err != nil {
		t.Fatal(err)
	}
	buf := bytes.NewBufferString("before|")
	// The error page reads .Message from its data: an int has none.
	if err := set.Render(buf, "error", 42); err == nil {
		t.Fatal("rendering with the wrong data succeeded")
	}
	if buf.String() != "before|" {
		t.Fatalf("after a failed render the buffer holds %q, want only what was there before", buf.String())
	}
	var sb strings.Builder
	if err := set.Render(&sb, "error", 42); err == nil || sb.Len() != 0 {
		t.Fatalf("render into a plain writer: err %v, %d bytes written; want an error and nothing written", err, sb.Len())
	}
}

// TestALanguageIsParsedWhenFirstRendered: Parse leaves every language but
// English unparsed (each costs serve about 0.7 MB for good), and the first
// page rendered in one parses it and speaks it.
func TestALanguageIsParsedWhenFirstRendered(t *testing.T) {
	set, err := views.Parse()
	if err != nil {
		t.Fatal(err)
	}
	if !set.Parsed(i18n.English) || set.Parsed(i18n.French) {
		t.Fatalf("after Parse: English parsed %v, French %v; want only English", set.Parsed(i18n.English), set.Parsed(i18n.French))
	}
	render := func(lang i18n.Lang) string {
		var buf bytes.Buffer
		data := struct {
			views.Page
			Questions []struct{ URL, Text string }
		}{Page: views.Page{Title: "t", Lang: lang}}
		if err := set.Render(&buf, "polls/index", data); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	if en := render(i18n.English); !strings.Contains(en, "No polls are available.") || set.Parsed(i18n.French) {
		t.Fatalf("an English page parsed French, or does not speak English:\n%s", en)
	}
	fr := render(i18n.French)
	if !set.Parsed(i18n.French) || !strings.Contains(fr, `lang="fr"`) || !strings.Contains(fr, "Aucun sondage") {
		t.Fatalf("the first French page did not parse French or does not speak it:\n%s", fr)
	}
	if err := set.Render(&bytes.Buffer{}, "polls/index", views.Page{Lang: "xx"}); err == nil {
		t.Error("a page in a language polls does not speak rendered")
	}
}

// TestTemplatesReachPageFieldsThroughPage: templates name the fields every
// page's data embeds as .Page.Title, never .Title. text/template looks a
// field up by name on every use, and a field promoted from an embedded struct
// takes reflect's slow search, about five allocations a time: on the index,
// 25 of 303 allocations per request.
func TestTemplatesReachPageFieldsThroughPage(t *testing.T) {
	promoted := regexp.MustCompile(`(\.\w+)?\.(Title|SiteName|CSRF|Flash|User|Lang)\b`)
	err := fs.WalkDir(os.DirFS("."), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		text, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(text), "\n") {
			for _, m := range promoted.FindAllStringSubmatch(line, -1) {
				if m[1] == "" { // .Title or $.Title: promoted from Page
					t.Errorf("%s:%d: %q names a field of views.Page as promoted; write .Page.%s", p, i+1, m[0], m[2])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
