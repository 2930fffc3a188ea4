package polls_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/i18n"
	"polls/app/tenant"
)

// TestFrenchPagesHaveNoEnglishLeft renders every page of a French tenant's
// public site (each page, the vote sent back, the error pages) and scans
// each for the English catalog's texts: any found is a text left
// untranslated.
func TestFrenchPagesHaveNoEnglishLeft(t *testing.T) {
	srv := apptest.NewServer(t)
	s := site{Tenant: apptest.NewTenantSpeaking(t, tenant.Language{Own: "fr"}), client: srv.Client(t)}
	empty := site{Tenant: apptest.NewTenantSpeaking(t, tenant.Language{Own: "fr"}), client: srv.Client(t)}
	s.AddQuestion(t, 1, "Quoi de neuf ?", "-1 hour", apptest.Choice{ID: 10, Text: "Rien", Votes: 2})

	pages := map[string]string{}
	get := func(name string, st site, path string) {
		_, body := st.get(t, path)
		pages[name] = body
	}
	get("index", s, "/polls/")
	get("index, empty", empty, "/polls/")
	get("detail", s, "/polls/1/")
	get("results", s, "/polls/1/results/")
	get("404", s, "/polls/404/")
	_, pages["vote without a choice"] = s.vote(t, "1", url.Values{})
	req := apptest.NewRequest(t, http.MethodPost, s.Domain, "/polls/1/vote/", url.Values{"choice": {"10"}})
	_, pages["403 (CSRF)"] = apptest.Do(t, s.client, req)
	// A wrong method is refused before the tenant is looked up: its page
	// follows the browser's language.
	req = apptest.NewRequest(t, http.MethodGet, s.Domain, "/polls/1/vote/", nil)
	req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9")
	_, pages["405"] = apptest.Do(t, s.client, req)

	db := apptest.DB(t).SQL
	if _, err := db.Exec(`UPDATE public.tenants SET suspended = true WHERE schema_name = $1`, empty.Schema); err != nil {
		t.Fatal(err)
	}
	pages["402"] = waitFor(t, empty, "/polls/", http.StatusPaymentRequired)
	if _, err := db.Exec(`UPDATE public.tenants SET suspended = false, migration_state = 'failed' WHERE schema_name = $1`, empty.Schema); err != nil {
		t.Fatal(err)
	}
	pages["503 (maintenance)"] = waitFor(t, empty, "/polls/", http.StatusServiceUnavailable)

	cat := i18n.Builtin()
	for name, body := range pages {
		if !strings.Contains(body, `<html lang="fr">`) {
			t.Errorf("%s: got %s, want a French page", name, body)
		}
		// What a visitor reads: the text, and the attributes shown.
		text := apptest.Visible(body)
		for _, m := range shownAttr.FindAllStringSubmatch(hiddenInput.ReplaceAllString(body, ""), -1) {
			text += "\n" + html.UnescapeString(m[1])
		}
		for _, key := range cat.Keys(i18n.English) {
			french := strings.Join(cat.Texts(i18n.French, key), "\n")
			for _, english := range cat.Texts(i18n.English, key) {
				// A count's text is looked for after its number, a text
				// with a blank to fill up to the blank.
				english = strings.TrimPrefix(english, "%d ")
				if i := strings.Index(english, "%"); i >= 0 {
					english = english[:i]
				}
				if strings.Contains(french, english) || len(english) < 4 {
					continue // a text French writes the same way ("vote")
				}
				if strings.Contains(text, english) {
					t.Errorf("%s: the French page still says %q:\n%s", name, english, body)
				}
			}
		}
	}
}

// shownAttr is an attribute a visitor reads: a button's value, a title;
// hiddenInput holds none (a CSRF token's random letters could spell a word).
var hiddenInput = regexp.MustCompile(`<input type="hidden"[^>]*>`)

var shownAttr = regexp.MustCompile(`\b(?:value|title|aria-label|alt|placeholder)="([^"]*)"`)

// waitFor fetches path until it answers status: a registry change reaches
// the running server through its notification, within moments.
func waitFor(t *testing.T, s site, path string, status int) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, body := s.get(t, path)
		if got == status {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: still %d after 5s, want %d", path, got, status)
		}
		time.Sleep(10 * time.Millisecond) // polling a running server for a change made elsewhere
	}
}
