package public_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"polls/app/apptest"
	"polls/app/auth"
	"polls/app/public"
	"polls/app/tenant"
	"polls/app/webctx"
	"polls/views"
)

// pageRenderer renders views as the application does.
type pageRenderer struct{ set *views.Set }

func (r pageRenderer) Render(w io.Writer, name string, data any, _ echo.Context) error {
	return r.set.Render(w, name, data)
}

// TestSignupRunTwice: the lifecycle may run a handler twice for one request
// (tenant.Work says when). The sign-up's creation is an effect outside its
// request's database handle, so a second run must neither create again nor
// call the name taken: it answers the same redirect.
func TestSignupRunTwice(t *testing.T) {
	set, err := views.Parse()
	if err != nil {
		t.Fatal(err)
	}
	db := apptest.DB(t)
	h := public.New(public.Deps{
		Provisioner: &tenant.Provisioner{SQL: db.SQL, URL: apptest.URL(t), Roles: apptest.Roles(t)},
		Hasher:      auth.NewHasher(1), MainDomain: "localhost", TrialDays: 14,
	})
	e := echo.New()
	e.Renderer = pageRenderer{set}
	var runs []*httptest.ResponseRecorder
	twice := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			webctx.Set(c, &webctx.Request{DB: db.Gorm.WithContext(c.Request().Context()), RotateCSRF: func() {}})
			for range 2 { // as the runner does: a fresh response each run
				rec := httptest.NewRecorder()
				c.SetResponse(echo.NewResponse(rec, e))
				if err := next(c); err != nil {
					return err
				}
				runs = append(runs, rec)
			}
			return nil
		}
	}
	h.Register(e.Group("", twice))

	sub := newSubdomain(t)
	req := httptest.NewRequest(http.MethodPost, "http://localhost/signup/", strings.NewReader(validForm(sub).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	e.ServeHTTP(httptest.NewRecorder(), req)
	if len(runs) != 2 {
		t.Fatalf("the handler ran %d times, want 2", len(runs))
	}
	first, second := runs[0], runs[1]
	if first.Code != http.StatusSeeOther || second.Code != first.Code || second.Header().Get("Location") != first.Header().Get("Location") {
		t.Fatalf("run twice: first %d to %q, second %d to %q (%s); want the same 303 both times",
			first.Code, first.Header().Get("Location"), second.Code, second.Header().Get("Location"), second.Body.String())
	}
	if rows, schemas := created(t, sub); rows != 1 || schemas != 1 {
		t.Fatalf("run twice: %d registry rows and %d schemas, want 1 and 1", rows, schemas)
	}
}
