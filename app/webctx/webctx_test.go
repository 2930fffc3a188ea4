package webctx_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"polls/app/webctx"
)

func newContext() echo.Context {
	return echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/polls/", nil), httptest.NewRecorder())
}

func TestHandlePassesTheLifecyclesRequest(t *testing.T) {
	c := newContext()
	want := &webctx.Request{DB: &gorm.DB{}, Site: webctx.Site{Name: "Client One", Schema: "client1"}, CSRF: "token"}
	webctx.Set(c, want)
	var got *webctx.Request
	err := webctx.Handle(func(_ echo.Context, r *webctx.Request) error {
		got = r
		return nil
	})(c)
	if err != nil || got != want {
		t.Fatalf("got %p, %v; want the stored request %p", got, err, want)
	}
}

// TestHandleRefusesToRunOutsideTheLifecycle checks that a handler mounted
// without the tenant lifecycle fails loudly instead of running unscoped.
func TestHandleRefusesToRunOutsideTheLifecycle(t *testing.T) {
	tests := []struct {
		name string
		set  *webctx.Request // nil: nothing stored
	}{
		{"no request", nil},
		{"outside the transaction", &webctx.Request{Site: webctx.Site{Name: "Client One", Schema: "client1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newContext()
			if tt.set != nil {
				webctx.Set(c, tt.set)
			}
			ran := false
			defer func() {
				if recover() == nil {
					t.Errorf("got no panic, want one")
				}
				if ran {
					t.Errorf("got the handler run, want it not run")
				}
			}()
			_ = webctx.Handle(func(echo.Context, *webctx.Request) error {
				ran = true
				return nil
			})(c)
		})
	}
}

func TestParseIDIsDjangosIntConverter(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1", 1, true}, {"007", 7, true}, {"0", 0, true}, {"9223372036854775807", 9223372036854775807, true},
		{"", 0, false}, {"+1", 0, false}, {"-1", 0, false}, {" 1", 0, false}, {"1x", 0, false},
		{"9223372036854775808", 0, false}, {"١", 0, false},
	} {
		got, ok := webctx.ParseID(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseID(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
