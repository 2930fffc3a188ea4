package djangoimport_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/tenant"
)

// django-tenants: domains in a table of their own, a row for the public
// schema; a dry run that finds every problem and creates nothing; one
// tenant imported under a new name with all its domains.
func TestImportDjangoTenants(t *testing.T) {
	p := apptest.RandomName(6)
	shop, store, ghost, dup := "shop_"+p, "store_"+p, "Ghost"+p, "dup_"+p
	primary, alias := "shop-"+p+".test", "shop-alias-"+p+".test"
	dropAfter(t, shop, store, dup)
	taken := apptest.NewTenant(t) // serves the domain dup wants

	site := newDjangoSite(t, "tenants")
	site.manage(t, "public", map[string]any{"clients": []client{
		{Schema: "public", Name: "Public", PaidUntil: "2100-01-01", Domains: []string{"localhost-" + p + ".test"}},
		{Schema: ghost, Name: "Ghost", PaidUntil: "2100-01-01", Domains: []string{"ghost-" + p + ".test"}},
		{Schema: dup, Name: "Dup", PaidUntil: "2100-01-01", Domains: []string{taken.Domain}},
	}}, "seed")
	site.addTenant(t, client{Schema: shop, Name: "The Shop", PaidUntil: "2040-06-30", Domains: []string{primary, "www." + alias}},
		tenantContent{
			Superuser: &djangoUser{Username: "owner", Email: "owner@shop.test", Password: "shop owner pw"},
			Questions: []question{{Text: "Open on Sundays?", Choices: [][]any{{"Yes", 4}, {"No", 6}}}},
		})
	site.exec(t, `ALTER TABLE `+shop+`.polls_question ADD COLUMN featured boolean NOT NULL DEFAULT false`)
	// dup's schema is not the tutorial's: a table short of a column, others missing.
	site.exec(t, `CREATE SCHEMA `+dup+`; CREATE TABLE `+dup+`.polls_question (id serial PRIMARY KEY, question_text text)`)
	from := "--from=" + site.URL

	out, code := importdjango(t, from, "--dry-run")
	t.Logf("polls importdjango --dry-run:\n%s", out)
	if code != 1 {
		t.Fatalf("dry run: exit %d, want 1 (problems found):\n%s", code, out)
	}
	for _, want := range []string{
		"dry run, nothing is created: 4 of 4 tenants of a django-tenants database",
		"public: skipped (django-tenants' public tenant: the shared schema, not a site)",
		shop + " -> " + shop + `: name "The Shop", paid_until 2040-06-30, on_trial false`,
		"domains: " + primary + " (primary), " + alias,
		"note: domain www." + alias + " is carried as " + alias,
		"note: column polls_question.featured is not carried",
		`problem: schema name "` + ghost + `" is invalid`,
		"problem: schema " + ghost + " does not exist in the Django database",
		"problem: domain " + taken.Domain + " is already served by polls tenant " + taken.Schema,
		"problem: table polls_question has no column pub_date",
		"problem: table polls_choice is missing",
		"dry run: 1 would be imported, 1 skipped, 2 with problems; nothing was created",
		"polls: some tenants have problems (above); nothing was created",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	for _, s := range []string{shop, dup} {
		if tenantExists(t, s) {
			t.Errorf("after the dry run: polls has something of %s, want nothing created", s)
		}
	}

	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--schema", "nope"}, 1, "--schema nope: no Django tenant has this schema"},
		{[]string{"--rename", shop}, 2, "give OLD=NEW"},
		{[]string{"--rename", shop + "=Bad-Name"}, 2, "is invalid"},
		{[]string{"--tenant-table", "nope"}, 1, "the Django database has no table public.nope"},
		{[]string{"--domain-table", "nope"}, 1, "no domains found"},
	} {
		out, code := importdjango(t, append([]string{from}, tt.args...)...)
		if code != tt.code || !strings.Contains(out, tt.want) {
			t.Errorf("importdjango %v: exit %d, want %d with %q:\n%s", tt.args, code, tt.code, tt.want, out)
		}
	}

	out, code = importdjango(t, from, "--schema", shop, "--rename", shop+"="+store)
	if code != 0 || !strings.Contains(out, shop+": imported as "+store+" on "+primary+", "+alias+": 1 questions, 2 choices, 1 users") {
		t.Fatalf("import: exit %d, want 0 and %s imported as %s:\n%s", code, shop, store, out)
	}
	rec, err := tenant.Find(context.Background(), apptest.DB(t).SQL, store)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Domains) != 2 || rec.Domains[0] != (tenant.Domain{Name: primary, Primary: true}) || rec.Domains[1] != (tenant.Domain{Name: alias}) ||
		rec.Name != "The Shop" || rec.PaidUntil.Format("2006-01-02") != "2040-06-30" {
		t.Errorf("imported tenant: got %+v, want Django's name, plan and both domains, %s primary", rec, primary)
	}
	srv := apptest.NewServer(t)
	for _, host := range []string{primary, alias, "www." + alias} {
		status, body := apptest.Get(t, srv.Client(t), host, "/polls/")
		if status != http.StatusOK || !strings.Contains(body, "Open on Sundays?") {
			t.Errorf("%s /polls/: %d, want the shop's question:\n%s", host, status, body)
		}
	}
	if ok, body := login(t, srv.Client(t), alias, "owner", "shop owner pw"); !ok {
		t.Errorf("owner: Django's password did not log in:\n%s", body)
	}
}
