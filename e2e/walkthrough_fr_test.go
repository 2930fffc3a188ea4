package e2e_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"polls/app/apptest"
	"polls/app/tenant"
)

// TestWalkthroughInFrench is the walkthrough once on a French tenant, with
// an English browser (the tenant allows only its own language): the admin
// and the public pages speak French, counts and the vote form included.
func TestWalkthroughInFrench(t *testing.T) {
	client1 := apptest.NewTenantSpeaking(t, tenant.Language{Own: "fr"})
	addSuperuser(t, client1, "admin", "walk-through-42")
	srv := apptest.NewServer(t)
	u, _ := url.Parse(srv.URL)
	site := "http://" + client1.Domain + ":" + u.Port()

	ctx := newBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		var s string
		run("read "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
		return s
	}

	run("log in to the admin",
		chromedp.Navigate(site+"/admin/"),
		chromedp.WaitVisible(`//label[contains(., "Nom d'utilisateur")]`, chromedp.BySearch),
		chromedp.SendKeys("#id_username", "admin", chromedp.ByQuery),
		chromedp.SendKeys("#id_password", "walk-through-42", chromedp.ByQuery),
		chromedp.Submit("#id_password", chromedp.ByQuery),
		chromedp.WaitVisible(`//h1[contains(., "Administration du site")]`, chromedp.BySearch),
	)
	var choiceInputs []*cdp.Node
	run("open the add question form",
		chromedp.Navigate(site+"/admin/polls/question/add/"),
		chromedp.WaitVisible(`//h1[contains(., "Ajout de question")]`, chromedp.BySearch),
		chromedp.Click(`input[name="_save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//*[contains(., "Ce champ est obligatoire.")]`, chromedp.BySearch),
		chromedp.SendKeys("#id_question_text", "Quel fromage gagne ?", chromedp.ByQuery),
		chromedp.SetValue("#id_pub_date", time.Now().UTC().Add(-time.Hour).Format("2006-01-02T15:04"), chromedp.ByQuery),
		chromedp.Nodes(`input[name="choice_text"]`, &choiceInputs, chromedp.ByQueryAll),
	)
	if len(choiceInputs) < 2 {
		t.Fatalf("the add form offers %d choice rows, want at least 2", len(choiceInputs))
	}
	for i, choice := range []string{"Comté", "Roquefort"} {
		run("type a choice", chromedp.SendKeys([]cdp.NodeID{choiceInputs[i].NodeID}, choice, chromedp.ByNodeID))
	}
	run("save the question",
		chromedp.Click(`input[name="_save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//*[contains(., "a été ajoutée avec succès")]`, chromedp.BySearch),
	)
	run("vote without a choice, then with one",
		chromedp.Navigate(site+"/polls/"),
		chromedp.WaitVisible(`//h1[contains(., "Derniers sondages")]`, chromedp.BySearch),
		chromedp.Click(`//a[contains(., "Quel fromage gagne ?")]`, chromedp.BySearch),
		chromedp.WaitVisible(`input[value="Voter"]`, chromedp.ByQuery),
		chromedp.Click(`input[value="Voter"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//*[contains(., "Vous n'avez pas sélectionné de choix.")]`, chromedp.BySearch),
		chromedp.Click(`//label[contains(., "Roquefort")]`, chromedp.BySearch),
		chromedp.Click(`input[value="Voter"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//a[contains(., "Voter à nouveau")]`, chromedp.BySearch),
	)
	results := text("main")
	if !strings.Contains(results, "Roquefort -- 1 vote") || !strings.Contains(results, "Comté -- 0 vote") ||
		!strings.Contains(results, "1 vote en tout.") {
		t.Fatalf("results page says %q, want Roquefort -- 1 vote, Comté -- 0 vote and 1 vote en tout.", results)
	}
	var lang string
	run("read <html lang>", chromedp.AttributeValue("html", "lang", &lang, nil, chromedp.ByQuery))
	if lang != "fr" {
		t.Errorf("<html lang> is %q, want fr", lang)
	}
}
