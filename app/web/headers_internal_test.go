package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// The sign-up form's pages must let the form end on a tenant's host; the
// rest of the policy stays the site's.
func TestSignupPolicyWidensFormActionOnly(t *testing.T) {
	got := signupPolicy("maboite.com")
	if !strings.Contains(got, "form-action 'self' *.maboite.com:*;") {
		t.Fatalf("signupPolicy: %q does not let the form go to *.maboite.com", got)
	}
	if strings.Replace(got, " *.maboite.com:*", "", 1) != contentSecurityPolicy {
		t.Fatalf("signupPolicy changed more than form-action: %q", got)
	}
}

// TestSharedHeaderValues: the value slices every response shares stay as
// they are when a handler adds to or replaces a header.
func TestSharedHeaderValues(t *testing.T) {
	e := echo.New()
	handler := securityHeaders(func(c echo.Context) error {
		h := c.Response().Header()
		for _, v := range securityHeaderValues {
			h.Add(v.name, "added")
			h.Set(v.name, "replaced")
		}
		privatePage(h)
		h.Add("Vary", "Accept-Language")
		h.Add("Cache-Control", "no-transform")
		return nil
	})
	for range 2 {
		c := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder())
		if err := handler(c); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{contentSecurityPolicy, "DENY", "nosniff", "same-origin", "same-origin"}
	for i, v := range securityHeaderValues {
		if len(v.value) != 1 || v.value[0] != want[i] {
			t.Errorf("%s is now %q, want %q", v.name, v.value, want[i])
		}
	}
	if len(varyCookie) != 1 || varyCookie[0] != "Cookie" || len(cachePrivate) != 1 || cachePrivate[0] != "private" {
		t.Errorf("privatePage's values are now %q and %q", varyCookie, cachePrivate)
	}
}
