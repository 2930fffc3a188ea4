package web

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/labstack/echo/v4"

	"polls/app/tenant"
	"polls/app/webctx"
	"polls/models"
	"polls/views"
)

func TestErrorsBecomeResponsesInOnePlace(t *testing.T) {
	set, err := views.Parse()
	if err != nil {
		t.Fatal(err)
	}
	denied := &pgconn.PgError{Code: "42501", Message: "permission denied for schema client2"}
	tests := []struct {
		name      string
		err       error
		status    int
		shows     string
		hides     string
		logged    string
		notLogged bool
	}{
		{"unknown host", &tenant.UnknownHostError{Host: "nope.test"}, 404, `No tenant for hostname &#34;nope.test&#34;`, "", "", true},
		{"not found", fmt.Errorf("question 7: %w", models.ErrNotFound), 404, "does not exist", "question 7", "", true},
		{"conflict", fmt.Errorf("save user 3: %w", errors.Join(models.ErrConflict, errors.New("duplicate key users_username"))), 409, "Someone else changed this", "duplicate", "", true},
		{"user error", echo.NewHTTPError(http.StatusTooManyRequests, "Please try again in 15 minutes."), 429, "Please try again in 15 minutes.", "", "", true},
		{"internal", fmt.Errorf("connect: password for secret-host failed"), 500, "Something went wrong", "secret-host", "secret-host", false},
		{"cross-tenant access", fmt.Errorf("load page: %w", denied), 500, "Something went wrong", "client2", "event=security tenant=client1 target=\"schema client2\"", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			e := echo.New()
			e.Renderer = renderer{views: set}
			handle := errorHandler(set, slog.New(slog.NewTextHandler(&logs, nil)))
			rec := httptest.NewRecorder()
			c := e.NewContext(httptest.NewRequest(http.MethodGet, "/polls/", nil), rec)
			webctx.Set(c, &webctx.Request{Site: webctx.Site{Name: "Client One", Schema: "client1"}})
			handle(tt.err, c)
			body := rec.Body.String()
			if rec.Code != tt.status || !strings.Contains(body, tt.shows) {
				t.Fatalf("got %d %q, want %d showing %q", rec.Code, body, tt.status, tt.shows)
			}
			if tt.hides != "" && strings.Contains(body, tt.hides) {
				t.Fatalf("the page shows internal detail %q", tt.hides)
			}
			if tt.notLogged && logs.Len() > 0 {
				t.Fatalf("a user's mistake was logged as an error: %s", logs.String())
			}
			if !strings.Contains(logs.String(), tt.logged) {
				t.Fatalf("log %q does not contain %q", logs.String(), tt.logged)
			}
		})
	}
}
