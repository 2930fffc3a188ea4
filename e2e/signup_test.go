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
	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
)

// TestSignupInABrowser is self-service sign-up as a person clicks it: the
// landing page on the main domain, the form, then the new site's admin,
// logged in on the new host; a question added there is on the new site's
// polls page, and another tenant's site shows none of it.
func TestSignupInABrowser(t *testing.T) {
	other := apptest.NewTenant(t)
	srv := apptest.NewServer(t) // the main domain is localhost, as in the demo
	u, _ := url.Parse(srv.URL)
	port := u.Port()
	sub := "e2e-" + apptest.RandomName(8)
	schema := strings.ReplaceAll(sub, "-", "_")
	t.Cleanup(func() {
		db := apptest.DB(t).SQL
		_, _ = db.Exec("DROP SCHEMA IF EXISTS " + pgx.Identifier{schema}.Sanitize() + " CASCADE")
		_, _ = db.Exec("DELETE FROM public.tenants WHERE schema_name = $1", schema)
		apptest.DropRole(t, db, apptest.Roles(t).For(schema))
	})
	landing := "http://localhost:" + port + "/"
	newSite := "http://" + sub + ".localhost:" + port

	shots, err := os.MkdirTemp("", "polls-e2e-signup-screenshots-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots of each step: %s", shots)
	fmt.Fprintf(os.Stderr, "e2e: sign-up screenshots of each step in %s\n", shots)

	ctx := newBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			var where string
			_ = chromedp.Run(ctx, chromedp.Location(&where), screenshot(shots, 99, "failed"))
			t.Fatalf("%s: %v (the browser is at %s; the server logged:\n%s)", step, err, where, srv.Logs.String())
		}
	}
	text := func(sel string) string {
		t.Helper()
		var s string
		run("read "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
		return s
	}

	// 1. The landing page, and a first try with passwords that differ.
	run("open the landing page",
		chromedp.Navigate(landing),
		chromedp.WaitVisible("#signup-form", chromedp.ByQuery),
		screenshot(shots, 1, "landing"),
		chromedp.SendKeys("#id_site_name", "Cheese Club", chromedp.ByQuery),
		chromedp.SendKeys("#id_subdomain", sub, chromedp.ByQuery),
		chromedp.SendKeys("#id_username", "fromager", chromedp.ByQuery),
		chromedp.SendKeys("#id_email", "fromager@example.com", chromedp.ByQuery),
		chromedp.SendKeys("#id_password1", "tomme-de-savoie-7", chromedp.ByQuery),
		chromedp.SendKeys("#id_password2", "tomme-de-savoie-8", chromedp.ByQuery),
		chromedp.Submit("#id_password2", chromedp.ByQuery),
		chromedp.WaitVisible(`//*[contains(., "The two password fields didn’t match.")]`, chromedp.BySearch),
		screenshot(shots, 2, "landing-passwords-differ"),
	)

	// 2. The form kept what was typed but the passwords: type them again.
	run("sign up",
		chromedp.SendKeys("#id_password1", "tomme-de-savoie-7", chromedp.ByQuery),
		chromedp.SendKeys("#id_password2", "tomme-de-savoie-7", chromedp.ByQuery),
		screenshot(shots, 3, "landing-filled"),
		chromedp.Submit("#id_password2", chromedp.ByQuery),
		chromedp.WaitVisible(`a[href="/admin/polls/question/"]`, chromedp.ByQuery),
		screenshot(shots, 4, "new-site-admin"),
	)
	var where string
	run("read the address", chromedp.Location(&where))
	if where != newSite+"/admin/" {
		t.Fatalf("after sign-up the browser is at %s, want %s/admin/", where, newSite)
	}
	if got := text("#user-tools"); !strings.Contains(strings.ToLower(got), "fromager") {
		t.Fatalf("the new admin's header says %q, want fromager logged in", got)
	}

	// 3. Add a question with two choices.
	var choiceInputs []*cdp.Node
	run("open the add question form",
		chromedp.Navigate(newSite+"/admin/polls/question/add/"),
		chromedp.WaitVisible("#id_question_text", chromedp.ByQuery),
		chromedp.SendKeys("#id_question_text", "Which cheese for the club?", chromedp.ByQuery),
		chromedp.SetValue("#id_pub_date", time.Now().UTC().Add(-time.Hour).Format("2006-01-02T15:04"), chromedp.ByQuery),
		chromedp.Nodes(`input[name="choice_text"]`, &choiceInputs, chromedp.ByQueryAll),
	)
	if len(choiceInputs) < 2 {
		t.Fatalf("the add form offers %d choice rows, want at least 2", len(choiceInputs))
	}
	for i, choice := range []string{"Beaufort", "Reblochon"} {
		run("type a choice", chromedp.SendKeys([]cdp.NodeID{choiceInputs[i].NodeID}, choice, chromedp.ByNodeID))
	}
	run("save the question",
		chromedp.Click(`input[name="_save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//a[contains(., "Which cheese for the club?")]`, chromedp.BySearch),
		screenshot(shots, 5, "new-site-question-list"),
	)

	// 4. The new site's public page shows it; another tenant's does not.
	run("open the new site's polls",
		chromedp.Navigate(newSite+"/polls/"),
		chromedp.WaitVisible(`//a[contains(., "Which cheese for the club?")]`, chromedp.BySearch),
		screenshot(shots, 6, "new-site-polls"),
	)
	run("open another tenant's polls",
		chromedp.Navigate("http://"+other.Domain+":"+port+"/polls/"),
		chromedp.WaitVisible("main", chromedp.ByQuery),
		screenshot(shots, 7, "other-site-polls"),
	)
	if got := text("main"); strings.Contains(got, "cheese") || !strings.Contains(got, "No polls are available.") {
		t.Fatalf("another tenant's index says %q, want only \"No polls are available.\"", got)
	}
	run("open another tenant's admin",
		chromedp.Navigate("http://"+other.Domain+":"+port+"/admin/"),
		chromedp.WaitVisible("#id_username", chromedp.ByQuery),
		screenshot(shots, 8, "other-site-admin-login"),
	)
}
