package tenant_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"polls/app/apptest"
	"polls/app/tenant"
	"polls/app/webctx"
)

// newEcho serves handler behind the tenant middleware, with an error handler
// that shows the status only.
func newEcho(t *testing.T, handler echo.HandlerFunc) *echo.Echo {
	db := apptest.DB(t)
	e := echo.New()
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		var unknown *tenant.UnknownHostError
		if errors.As(err, &unknown) {
			_ = c.String(http.StatusNotFound, unknown.Error())
			return
		}
		_ = c.String(http.StatusInternalServerError, "error page")
	}
	m := &tenant.Middleware{Resolver: newResolver(t), SQL: db.SQL, Gorm: db.Gorm}
	e.GET("/", handler, m.Handle)
	return e
}

func serve(e *echo.Echo, host string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Host = host
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func countQuestions(t *testing.T, tn apptest.Tenant) int {
	t.Helper()
	return len(questionTexts(t, tn))
}

func TestFailedCommitGivesAnErrorPageNotSuccess(t *testing.T) {
	a := apptest.NewTenant(t)
	e := newEcho(t, func(c echo.Context) error {
		db := webctx.DB(c)
		// A deferred constraint fails only at COMMIT, after the handler succeeded.
		for _, q := range []string{
			"CREATE TEMP TABLE parent (id int PRIMARY KEY)",
			"CREATE TEMP TABLE child (parent_id int REFERENCES parent DEFERRABLE INITIALLY DEFERRED)",
			"INSERT INTO child VALUES (1)",
			"INSERT INTO polls_question (question_text, pub_date) VALUES ('lost', now())",
		} {
			if err := db.Exec(q).Error; err != nil {
				return err
			}
		}
		c.Response().Header().Set("X-Handler", "ran")
		return c.String(http.StatusOK, "saved!")
	})
	rec := serve(e, a.Domain)
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "saved!") {
		t.Fatalf("got %d %q, want the error page: the commit failed", rec.Code, rec.Body.String())
	}
	if rec.Header().Get("X-Handler") != "" {
		t.Fatal("headers of the discarded success response were sent")
	}
	if n := countQuestions(t, a); n != 0 {
		t.Fatalf("got %d questions, want 0 after the failed commit", n)
	}
}

func TestHandlerErrorRollsBack(t *testing.T) {
	a := apptest.NewTenant(t)
	e := newEcho(t, func(c echo.Context) error {
		if err := webctx.DB(c).Exec("INSERT INTO polls_question (question_text, pub_date) VALUES ('x', now())").Error; err != nil {
			return err
		}
		_ = c.String(http.StatusOK, "half written")
		return errors.New("handler failed after writing")
	})
	rec := serve(e, a.Domain)
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "half written") {
		t.Fatalf("got %d %q, want the error page only", rec.Code, rec.Body.String())
	}
	if n := countQuestions(t, a); n != 0 {
		t.Fatalf("got %d questions, want 0 after the rollback", n)
	}
}

func TestSuccessIsCommittedAndSent(t *testing.T) {
	a := apptest.NewTenant(t)
	e := newEcho(t, func(c echo.Context) error {
		if err := webctx.DB(c).Exec("INSERT INTO polls_question (question_text, pub_date) VALUES ('kept', now())").Error; err != nil {
			return err
		}
		site, _ := webctx.SiteOf(c)
		return c.String(http.StatusCreated, "saved for "+site.Name)
	})
	rec := serve(e, "WWW."+strings.ToUpper(a.Domain)+":8080")
	if rec.Code != http.StatusCreated || rec.Body.String() != "saved for "+a.Name {
		t.Fatalf("got %d %q, want 201 %q", rec.Code, rec.Body.String(), "saved for "+a.Name)
	}
	if n := countQuestions(t, a); n != 1 {
		t.Fatalf("got %d questions, want 1", n)
	}
}

func TestUnknownHostNeverReachesAHandler(t *testing.T) {
	apptest.NewTenant(t)
	e := newEcho(t, func(c echo.Context) error {
		t.Error("handler ran for an unknown host")
		return nil
	})
	rec := serve(e, "nobody.example.com:8000")
	want := `No tenant for hostname "nobody.example.com"`
	if rec.Code != http.StatusNotFound || rec.Body.String() != want {
		t.Fatalf("got %d %q, want 404 %q", rec.Code, rec.Body.String(), want)
	}
}
