// Package e2e_test clicks through the seed walkthrough in a real browser.
package e2e_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"polls/app/apptest"
	"polls/app/auth"
)

func TestMain(m *testing.M) { apptest.Main(m) }

func addSuperuser(t *testing.T, tn apptest.Tenant, username, password string) {
	t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	tn.Exec(t, `INSERT INTO auth_user (username, email, password, is_staff, is_superuser, is_active)
		VALUES (?, ?, ?, true, true, true)`, username, username+"@example.com", hash)
}

// TestWalkthroughInABrowser is the seed demo as a person clicks it: log in to
// client1's admin, add a question with three choices, vote on client1's site,
// see the results chart; client2 shows none of it and refuses client1's login.
func TestWalkthroughInABrowser(t *testing.T) {
	client1, client2 := apptest.NewTenant(t), apptest.NewTenant(t)
	addSuperuser(t, client1, "admin", "walk-through-42")
	srv := apptest.NewServer(t)
	u, _ := url.Parse(srv.URL)
	site1 := "http://" + client1.Domain + ":" + u.Port()
	site2 := "http://" + client2.Domain + ":" + u.Port()

	shots, err := os.MkdirTemp("", "polls-e2e-screenshots-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots of each step: %s", shots)
	fmt.Fprintf(os.Stderr, "e2e: screenshots of each step in %s\n", shots)

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

	// 1. Log in to client1's admin.
	run("open client1 admin login",
		chromedp.Navigate(site1+"/admin/"),
		chromedp.WaitVisible("#id_username", chromedp.ByQuery),
		screenshot(shots, 1, "client1-login"),
		chromedp.SendKeys("#id_username", "admin", chromedp.ByQuery),
		chromedp.SendKeys("#id_password", "walk-through-42", chromedp.ByQuery),
		chromedp.Submit("#id_password", chromedp.ByQuery),
		chromedp.WaitVisible(`a[href="/admin/polls/question/"]`, chromedp.ByQuery),
		screenshot(shots, 2, "client1-admin-index"),
	)

	// 2. Add a question with three choices.
	var choiceInputs []*cdp.Node
	run("open the add question form",
		chromedp.Navigate(site1+"/admin/polls/question/add/"),
		chromedp.WaitVisible("#id_question_text", chromedp.ByQuery),
		chromedp.SendKeys("#id_question_text", "Which cheese wins?", chromedp.ByQuery),
		chromedp.SetValue("#id_pub_date", time.Now().UTC().Add(-time.Hour).Format("2006-01-02T15:04"), chromedp.ByQuery),
		chromedp.Nodes(`input[name="choice_text"]`, &choiceInputs, chromedp.ByQueryAll),
	)
	if len(choiceInputs) < 3 {
		t.Fatalf("the add form offers %d choice rows, want at least 3", len(choiceInputs))
	}
	for i, choice := range []string{"Comté", "Roquefort", "Brie"} {
		run("type a choice", chromedp.SendKeys([]cdp.NodeID{choiceInputs[i].NodeID}, choice, chromedp.ByNodeID))
	}
	run("save the question",
		screenshot(shots, 3, "client1-add-question"),
		chromedp.Click(`input[name="_save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//a[contains(., "Which cheese wins?")]`, chromedp.BySearch),
		screenshot(shots, 4, "client1-question-list"),
	)

	// 3. Vote on client1's public site and see the results.
	run("open client1's polls",
		chromedp.Navigate(site1+"/polls/"),
		chromedp.WaitVisible(`//a[contains(., "Which cheese wins?")]`, chromedp.BySearch),
		screenshot(shots, 5, "client1-index"),
		chromedp.Click(`//a[contains(., "Which cheese wins?")]`, chromedp.BySearch),
		chromedp.WaitVisible(`input[name="choice"]`, chromedp.ByQuery),
		chromedp.Click(`//label[contains(., "Roquefort")]`, chromedp.BySearch),
		screenshot(shots, 6, "client1-detail"),
		chromedp.Submit(`input[name="choice"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//*[contains(., "Vote again?")]`, chromedp.BySearch),
		screenshot(shots, 7, "client1-results"),
	)
	results := text("main")
	if !strings.Contains(results, "Roquefort -- 1 vote") || !strings.Contains(results, "Comté -- 0 votes") {
		t.Fatalf("results page says %q, want Roquefort -- 1 vote and Comté -- 0 votes", results)
	}
	var bars []*cdp.Node
	run("find the chart", chromedp.Nodes("main svg", &bars, chromedp.ByQueryAll))
	if len(bars) == 0 {
		t.Fatal("the results page has no chart")
	}

	// 4. client2 shows none of it and refuses client1's admin login.
	run("open client2's polls",
		chromedp.Navigate(site2+"/polls/"),
		chromedp.WaitVisible("main", chromedp.ByQuery),
		screenshot(shots, 8, "client2-index"),
	)
	if got := text("main"); strings.Contains(got, "cheese") || !strings.Contains(got, "No polls are available.") {
		t.Fatalf("client2's index says %q, want only \"No polls are available.\"", got)
	}
	run("log in to client2 with client1's admin",
		chromedp.Navigate(site2+"/admin/login/"),
		chromedp.WaitVisible("#id_username", chromedp.ByQuery),
		chromedp.SendKeys("#id_username", "admin", chromedp.ByQuery),
		chromedp.SendKeys("#id_password", "walk-through-42", chromedp.ByQuery),
		chromedp.Submit("#id_password", chromedp.ByQuery),
		chromedp.WaitVisible(`//*[contains(., "Please enter the correct username and password")]`, chromedp.BySearch),
		screenshot(shots, 9, "client2-login-refused"),
	)
}
