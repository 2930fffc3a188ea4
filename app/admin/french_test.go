package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/i18n"
	"polls/app/tenant"
)

// shownAttr is an attribute a visitor reads: a button's value, a title;
// hiddenInput holds none (a CSRF token's random letters could spell a word).
var hiddenInput = regexp.MustCompile(`<input type="hidden"[^>]*>`)

var shownAttr = regexp.MustCompile(`\b(?:value|title|aria-label)="([^"]*)"`)

// TestFrenchAdminHasNoEnglishLeft renders every page of a French tenant's
// admin, and its form errors, and scans what a visitor reads on each for
// the English catalog's texts: any found was left untranslated.
func TestFrenchAdminHasNoEnglishLeft(t *testing.T) {
	srv := apptest.NewServer(t)
	s := site{Tenant: apptest.NewTenantSpeaking(t, tenant.Language{Own: "fr"}), srv: srv, client: srv.Client(t)}
	s.AddQuestion(t, 1, "Quoi de neuf ?", "-1 hour", apptest.Choice{ID: 10, Text: "Rien", Votes: 2})
	uid := s.addUser(t, superuser)

	pages := map[string]string{}
	get := func(name, path string) {
		t.Helper()
		status, body := s.get(t, path)
		if status != http.StatusOK {
			t.Errorf("GET %s: got status %d, want 200", path, status)
		}
		pages[name] = body
	}
	get("login", "/admin/login/")
	_, pages["login refused"] = s.post(t, "/admin/login/", url.Values{"username": {"admin"}, "password": {"wrong"}})
	s.login(t, superuser)
	get("index", "/admin/")
	get("polls app", "/admin/polls/")
	get("auth app", "/admin/auth/")
	get("questions", "/admin/polls/question/"+"?q=a+b+c+d+e+f+g+h+i+j+k+l+m+n+o+p+q+r+s+t+u+v+w+x+y+z")
	get("question add", "/admin/polls/question/add/")
	get("question change", "/admin/polls/question/"+"1/change/")
	get("question delete", "/admin/polls/question/"+"1/delete/")
	get("choices", "/admin/polls/choice/")
	get("users", "/admin/auth/user/")
	get("user add", "/admin/auth/user/add/")
	get("user change", fmt.Sprintf("%s%d/change/", "/admin/auth/user/", uid))
	get("password change", "/admin/password_change/")
	_, pages["question add, errors"] = s.post(t, "/admin/polls/question/add/", url.Values{"question_text": {""}, "pub_date": {"no date"}})
	_, pages["question add, too long"] = s.post(t, "/admin/polls/question/add/", url.Values{"question_text": {strings.Repeat("x", 201)}, "pub_date": {"2026-12-01T14:05"}})
	_, pages["user add, errors"] = s.post(t, "/admin/auth/user/add/", url.Values{"username": {"bad name!"}, "password1": {"123"}, "password2": {"456"}})
	_, pages["password change, errors"] = s.post(t, "/admin/password_change/", url.Values{"old_password": {"wrong"}})
	if to := s.postRedirect(t, "/admin/polls/question/", url.Values{"action": {"delete_selected"}}); to == "" {
		t.Fatal("the bulk action without a selection did not redirect back")
	}
	get("questions, no selection", "/admin/polls/question/")
	_, pages["delete selected"] = s.post(t, "/admin/polls/question/", url.Values{"action": {"delete_selected"}, "_selected_action": {"1"}})

	for name, want := range map[string]string{
		"question add, errors":    "Ce champ est obligatoire.",
		"user add, errors":        "Les deux mots de passe ne correspondent pas.",
		"question add, too long":  "Assurez-vous que cette valeur comporte au plus 200 caractères (actuellement 201).",
		"password change, errors": "Votre ancien mot de passe est incorrect.",
		"index":                   "Administration du site",
		"questions":               "Seuls les 10 premiers mots",
		"questions, no selection": "Des éléments doivent être sélectionnés",
		"delete selected":         "Voulez-vous vraiment supprimer les questions sélectionnées",
	} {
		if !strings.Contains(apptest.Visible(pages[name]), want) {
			t.Errorf("%s: got %s\nwant it to say %q", name, apptest.Visible(pages[name]), want)
		}
	}

	frenchDate := regexp.MustCompile(`\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4} à \d\d:\d\d UTC`)
	for _, name := range []string{"questions, no selection", "user change"} {
		if !frenchDate.MatchString(pages[name]) {
			t.Errorf("%s: got %s\nwant its dates written in French", name, apptest.Visible(pages[name]))
		}
	}

	cat := i18n.Builtin()
	for name, body := range pages {
		if !strings.Contains(body, `<html lang="fr">`) {
			t.Errorf("%s: got %s, want a French page", name, body)
		}
		read := apptest.Visible(body)
		for _, m := range shownAttr.FindAllStringSubmatch(hiddenInput.ReplaceAllString(body, ""), -1) {
			read += "\n" + m[1]
		}
		for _, key := range cat.Keys(i18n.English) {
			french := strings.Join(cat.Texts(i18n.French, key), "\n")
			for _, english := range cat.Texts(i18n.English, key) {
				english = strings.TrimPrefix(english, "%d ")
				if i := strings.Index(english, "%"); i >= 0 {
					english = english[:i] // the part before what is filled in
				}
				if len(english) < 6 || strings.Contains(french, english) {
					continue // too short to say, or French writes it the same way
				}
				if strings.Contains(read, english) {
					t.Errorf("%s: the French page still says %q:\n%s", name, english, read)
				}
			}
		}
	}
}
