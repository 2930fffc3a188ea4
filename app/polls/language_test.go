package polls_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/tenant"
)

// getIn fetches a page of s with the visitor's Accept-Language header.
func (s site) getIn(t *testing.T, accept, path string) (int, string) {
	t.Helper()
	req := apptest.NewRequest(t, http.MethodGet, s.Domain, path, nil)
	if accept != "" {
		req.Header.Set("Accept-Language", accept)
	}
	resp, body := apptest.Do(t, s.client, req)
	return resp.StatusCode, body
}

func TestFrenchTenantSpeaksFrench(t *testing.T) {
	srv := apptest.NewServer(t)
	s := site{Tenant: apptest.NewTenantSpeaking(t, tenant.Language{Own: "fr"}), client: srv.Client(t)}
	empty := site{Tenant: apptest.NewTenantSpeaking(t, tenant.Language{Own: "fr"}), client: srv.Client(t)}
	s.AddQuestion(t, 1, "Quoi de neuf ?", "-1 hour", apptest.Choice{ID: 10, Text: "Pas grand-chose", Votes: 1},
		apptest.Choice{ID: 11, Text: "Le ciel", Votes: 2})

	// The tenant allows only its own language: an English browser still
	// gets French.
	for _, tt := range []struct {
		site   site
		path   string
		status int
		want   []string
	}{
		{s, "/polls/", 200, []string{`<html lang="fr">`, "<h1>Derniers sondages</h1>"}},
		{empty, "/polls/", 200, []string{`<html lang="fr">`, "Aucun sondage n&#39;est disponible."}},
		{s, "/polls/1/", 200, []string{`<input type="submit" value="Voter">`}},
		{s, "/polls/1/results/", 200, []string{"Pas grand-chose -- 1 vote", "Le ciel -- 2 votes", "3 votes en tout.", "Voter à nouveau\u00a0?"}},
	} {
		status, body := tt.site.getIn(t, "en-US,en;q=0.9", tt.path)
		if status != tt.status {
			t.Errorf("GET %s: got status %d, want %d", tt.path, status, tt.status)
		}
		for _, want := range tt.want {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s: got %s\nwant it to contain %q", tt.path, body, want)
			}
		}
	}
	_, body := s.vote(t, "1", url.Values{})
	if want := "Vous n&#39;avez pas sélectionné de choix."; !strings.Contains(body, want) {
		t.Errorf("vote without a choice: got %s, want Django's French %q", body, want)
	}
}

func TestVisitorPicksALanguageWhereTheTenantAllows(t *testing.T) {
	srv := apptest.NewServer(t)
	anyLang := site{Tenant: apptest.NewTenantSpeaking(t, tenant.Language{Own: "en", Any: true}), client: srv.Client(t)}
	ownOnly := site{Tenant: apptest.NewTenantSpeaking(t, tenant.Language{Own: "en"}), client: srv.Client(t)}
	tests := []struct {
		site   site
		accept string
		want   string
	}{
		{anyLang, "fr-FR,fr;q=0.9,en;q=0.8", `<html lang="fr">`},
		{anyLang, "de-DE,de;q=0.9", `<html lang="en">`},
		{anyLang, "", `<html lang="en">`},
		{ownOnly, "fr-FR,fr;q=0.9", `<html lang="en">`},
	}
	for _, tt := range tests {
		status, body := tt.site.getIn(t, tt.accept, "/polls/")
		if status != http.StatusOK || !strings.Contains(body, tt.want) {
			t.Errorf("GET /polls/ with Accept-Language %q: got %d %s, want %s", tt.accept, status, body, tt.want)
		}
		french := strings.Contains(body, "Derniers sondages")
		if french != strings.Contains(tt.want, `"fr"`) {
			t.Errorf("GET /polls/ with Accept-Language %q: French text %v, but want %s", tt.accept, french, tt.want)
		}
	}
}
