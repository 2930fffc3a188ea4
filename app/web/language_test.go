package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/tenant"
)

// TestErrorPagesSpeakTheTenantsLanguage: the 404, 402 and maintenance 503
// pages of a French tenant are in French, in its look.
func TestErrorPagesSpeakTheTenantsLanguage(t *testing.T) {
	srv := apptest.NewServer(t)
	fr := apptest.NewTenantSpeaking(t, tenant.Language{Own: "fr"})
	en := apptest.NewTenant(t)
	client := srv.Client(t)

	status, body := apptest.Get(t, client, fr.Domain, "/polls/999/")
	for _, want := range []string{`<html lang="fr">`, "<h1>Page non trouvée</h1>", "La page demandée n&#39;existe pas.", fr.Name} {
		if status != http.StatusNotFound || !strings.Contains(body, want) {
			t.Errorf("French 404: got %d %s\nwant 404 with %q", status, body, want)
		}
	}
	status, body = apptest.Get(t, client, en.Domain, "/polls/999/")
	if status != http.StatusNotFound || !strings.Contains(body, "The page you asked for does not exist.") || !strings.Contains(body, `<html lang="en">`) {
		t.Errorf("English 404: got %d %s", status, body)
	}

	db := apptest.DB(t).SQL
	if _, err := db.Exec(`UPDATE public.tenants SET suspended = true WHERE schema_name = $1`, fr.Schema); err != nil {
		t.Fatal(err)
	}
	body = waitForStatus(t, srv, fr.Domain, "/polls/", http.StatusPaymentRequired, 5*time.Second)
	if !strings.Contains(body, "Ce site est suspendu.") || !strings.Contains(body, "<h1>Paiement requis</h1>") {
		t.Errorf("French 402: got %s, want it in French", body)
	}
	if _, err := db.Exec(`UPDATE public.tenants SET suspended = false, migration_state = 'migrating' WHERE schema_name = $1`, fr.Schema); err != nil {
		t.Fatal(err)
	}
	body = waitForStatus(t, srv, fr.Domain, "/polls/", http.StatusServiceUnavailable, 5*time.Second)
	if !strings.Contains(body, "Ce site est en cours de mise à jour.") || !strings.Contains(body, "<h1>Service indisponible</h1>") {
		t.Errorf("French maintenance page: got %s, want it in French", body)
	}
}
