package public_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/config"
	"polls/app/tenant"
)

const msgTaken = "This subdomain is not available. Please choose another."

// TestSignupRefusals: each rule of the form refuses with its message, the
// form comes back with what was typed (never the passwords), and nothing is
// created: no registry row, no schema.
func TestSignupRefusals(t *testing.T) {
	srv := newSignupServer(t)
	c := srv.Client(t)
	rules := "Enter 3 to 30 characters: lowercase letters, digits and hyphens"
	tests := []struct {
		name   string
		change func(f url.Values, sub string)
		want   string
	}{
		{"no site name", func(f url.Values, _ string) { f.Set("site_name", " ") }, "This field is required."},
		{"site name too long", func(f url.Values, _ string) { f.Set("site_name", strings.Repeat("x", 101)) }, "at most 100 characters (it has 101)"},
		{"site name with a control character", func(f url.Values, _ string) { f.Set("site_name", "a\x00b") }, "without control characters"},
		{"no subdomain", func(f url.Values, _ string) { f.Set("subdomain", "") }, "This field is required."},
		{"subdomain too short", func(f url.Values, _ string) { f.Set("subdomain", "ab") }, rules},
		{"subdomain too long", func(f url.Values, _ string) { f.Set("subdomain", "a"+strings.Repeat("b", 30)) }, rules},
		{"uppercase", func(f url.Values, sub string) { f.Set("subdomain", strings.ToUpper(sub)) }, rules},
		{"underscore", func(f url.Values, sub string) { f.Set("subdomain", sub+"_x") }, rules},
		{"starts with a digit", func(f url.Values, sub string) { f.Set("subdomain", "1"+sub) }, rules},
		{"starts with a hyphen", func(f url.Values, sub string) { f.Set("subdomain", "-"+sub) }, rules},
		{"ends with a hyphen", func(f url.Values, sub string) { f.Set("subdomain", sub+"-") }, rules},
		{"two hyphens", func(f url.Values, sub string) { f.Set("subdomain", "xn--"+sub) }, rules},
		{"a dot", func(f url.Values, sub string) { f.Set("subdomain", "a."+sub) }, rules},
		{"reserved www", func(f url.Values, _ string) { f.Set("subdomain", "www") }, msgTaken},
		{"reserved admin", func(f url.Values, _ string) { f.Set("subdomain", "admin") }, msgTaken},
		{"reserved api", func(f url.Values, _ string) { f.Set("subdomain", "api") }, msgTaken},
		{"reserved static", func(f url.Values, _ string) { f.Set("subdomain", "static") }, msgTaken},
		{"reserved public", func(f url.Values, _ string) { f.Set("subdomain", "public") }, msgTaken},
		{"reserved mail", func(f url.Values, _ string) { f.Set("subdomain", "mail") }, msgTaken},
		{"reserved pg prefix", func(f url.Values, sub string) { f.Set("subdomain", "pg"+sub) }, msgTaken},
		{"reserved platform schema", func(f url.Values, _ string) { f.Set("subdomain", "polls-platform") }, msgTaken},
		{"no username", func(f url.Values, _ string) { f.Set("username", "") }, "This field is required."},
		{"bad username", func(f url.Values, _ string) { f.Set("username", "the owner!") }, "Enter a valid username."},
		{"no email", func(f url.Values, _ string) { f.Set("email", "") }, "This field is required."},
		{"bad email", func(f url.Values, _ string) { f.Set("email", "owner@") }, "Enter a valid email address."},
		{"no password", func(f url.Values, _ string) { f.Set("password1", ""); f.Set("password2", "") }, "This field is required."},
		{"passwords differ", func(f url.Values, _ string) { f.Set("password2", "violet-harbour-43") }, "The two password fields didn’t match."},
		{"common password", func(f url.Values, _ string) { f.Set("password1", "password"); f.Set("password2", "password") }, "This password is too common."},
		{"short password", func(f url.Values, _ string) { f.Set("password1", "x7#q"); f.Set("password2", "x7#q") }, "This password is too short."},
		{"numeric password", func(f url.Values, _ string) { f.Set("password1", "83920174651"); f.Set("password2", "83920174651") }, "This password is entirely numeric."},
		{"password like the username", func(f url.Values, _ string) {
			f.Set("username", "harbourmaster")
			f.Set("password1", "harbourmaster1")
			f.Set("password2", "harbourmaster1")
		}, "The password is too similar to the username."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := newSubdomain(t)
			form := validForm(sub)
			tt.change(form, sub)
			resp, body := postSignup(t, c, form)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, tt.want) || !strings.Contains(body, "Please correct the") {
				t.Fatalf("got %d, want 200 with the form and %q:\n%s", resp.StatusCode, tt.want, body)
			}
			if pw := form.Get("password1"); pw != "" && strings.Contains(body, `value="`+pw+`"`) {
				t.Errorf("the form came back with the password in it")
			}
			if rows, schemas := created(t, sub); rows != 0 || schemas != 0 {
				t.Fatalf("refused sign-up left %d registry rows and %d schemas", rows, schemas)
			}
			if rows, _ := created(t, form.Get("subdomain")); rows != 0 { // its schema may be PostgreSQL's (public)
				t.Fatalf("refused sign-up of %q left %d registry rows", form.Get("subdomain"), rows)
			}
		})
	}
}

// A subdomain a tenant already has, by domain or by schema (a-b is schema
// a_b, which createtenant may have made), gets the very message a reserved
// name gets: the form tells nothing more about who has it.
func TestSignupRefusesTakenNamesLikeReservedOnes(t *testing.T) {
	srv := newSignupServer(t)
	c := srv.Client(t)
	first := newSubdomain(t)
	if resp, body := postSignup(t, c, validForm(first)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first sign-up: got %d:\n%s", resp.StatusCode, body)
	}
	other := srv.Client(t)
	resp, body := postSignup(t, other, validForm(first))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, msgTaken) {
		t.Fatalf("the same subdomain again: got %d, want the form with %q:\n%s", resp.StatusCode, msgTaken, body)
	}

	// A tenant made by createtenant with schema a_b, on another domain.
	sub := newSubdomain(t) + "-x"
	schema := strings.ReplaceAll(sub, "-", "_")
	dropAfter(t, schema)
	p := &tenant.Provisioner{SQL: apptest.DB(t).SQL, URL: apptest.URL(t), Roles: apptest.Roles(t)}
	if err := p.Create(context.Background(), tenant.NewTenant{Schema: schema, Domain: sub + "-elsewhere.test", Name: "by hand"}); err != nil {
		t.Fatal(err)
	}
	resp, body = postSignup(t, other, validForm(sub))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, msgTaken) {
		t.Fatalf("%s, whose schema %s a tenant has: got %d, want %q:\n%s", sub, schema, resp.StatusCode, msgTaken, body)
	}
	var domains int
	if err := apptest.DB(t).SQL.QueryRow(`SELECT count(*) FROM public.domains WHERE domain = $1`, sub+".localhost").Scan(&domains); err != nil || domains != 0 {
		t.Fatalf("the refused sign-up left its domain: %d (%v)", domains, err)
	}
}

// The lifecycle checks CSRF before the handler runs: a post without the
// token, or with another, is a 403 and creates nothing.
func TestSignupNeedsTheCSRFToken(t *testing.T) {
	srv := newSignupServer(t)
	c := srv.Client(t)
	apptest.CSRF(t, c, mainHost, "/") // the cookie is there; the form is not
	for name, token := range map[string][]string{"missing": nil, "wrong": {strings.Repeat("x", 64)}} {
		sub := newSubdomain(t)
		form := validForm(sub)
		if token != nil {
			form["csrfmiddlewaretoken"] = token
		}
		resp, body := apptest.Post(t, c, mainHost, "/signup/", form)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF") {
			t.Errorf("token %s: got %d, want 403 naming CSRF:\n%s", name, resp.StatusCode, body)
		}
		if rows, schemas := created(t, sub); rows != 0 || schemas != 0 {
			t.Errorf("token %s: %d registry rows and %d schemas created", name, rows, schemas)
		}
	}
}

// tenancy.signup_rate counts every attempt of one address, accepted or
// refused; past it a 429 with Retry-After, and even a valid form creates
// nothing. Another address is not affected.
func TestSignupIsRateLimitedPerAddress(t *testing.T) {
	srv := newSignupServer(t, func(c *config.Config) {
		c.Tenancy.SignupRate = 2
		c.Server.TrustedProxies = []string{"127.0.0.1/32"}
	})
	c := srv.Client(t)
	post := func(from string, form url.Values) (*http.Response, string) {
		form.Set("csrfmiddlewaretoken", apptest.CSRF(t, c, mainHost, "/"))
		req := apptest.NewRequest(t, http.MethodPost, mainHost, "/signup/", form)
		req.Header.Set("X-Forwarded-For", from)
		return apptest.Do(t, c, req)
	}
	bad := validForm("ab")
	for i := 0; i < 2; i++ {
		if resp, _ := post("203.0.113.7", bad); resp.StatusCode != http.StatusOK {
			t.Fatalf("attempt %d: got %d, want 200 (the form's error)", i+1, resp.StatusCode)
		}
	}
	sub := newSubdomain(t)
	resp, body := post("203.0.113.7", validForm(sub))
	after, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != http.StatusTooManyRequests || err != nil || after < 1 || after > 1800 || !strings.Contains(body, "Too many sign-ups from your address") {
		t.Fatalf("third attempt: got %d, Retry-After %q, want 429 with a wait of at most half an hour:\n%s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if rows, schemas := created(t, sub); rows != 0 || schemas != 0 {
		t.Fatalf("a rate-limited sign-up created %d rows, %d schemas", rows, schemas)
	}
	if resp, body := post("198.51.100.9", validForm(sub)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("another address: got %d, want 303:\n%s", resp.StatusCode, body)
	}
}
