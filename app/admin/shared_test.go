package admin_test

import (
	"testing"

	"github.com/labstack/echo/v4"

	"polls/app/admin"
)

// The platform admin's front door (MountLogin) and the tenant admin (Mount)
// register the login, logout and password change pages at the same paths
// and methods: one list changed without the other fails here.
func TestMountLoginMatchesMount(t *testing.T) {
	routes := func(mount func(*echo.Group)) map[string]bool {
		e := echo.New()
		mount(e.Group(""))
		out := map[string]bool{}
		for _, r := range e.Routes() {
			out[r.Method+" "+r.Path] = true
		}
		return out
	}
	h := admin.New(admin.Config{})
	front, all := routes(h.MountLogin), routes(h.Mount)
	if len(front) < 6 {
		t.Fatalf("MountLogin registered %d routes, want login, logout and password change: %v", len(front), front)
	}
	for r := range front {
		if !all[r] {
			t.Errorf("MountLogin registers %s, which the tenant admin's Mount does not", r)
		}
	}
	for _, r := range []string{"GET /admin/login/", "POST /admin/login/", "POST /admin/logout/",
		"GET /admin/password_change/", "POST /admin/password_change/", "GET /admin/password_change/done/"} {
		if !front[r] {
			t.Errorf("MountLogin does not register %s", r)
		}
	}
}
