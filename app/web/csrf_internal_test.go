package web

import (
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
)

// TestOriginChecksOnHTTPS: over HTTPS without an Origin, the Referer must be
// there and be the site (or a trusted origin), as Django checks it.
func TestOriginChecksOnHTTPS(t *testing.T) {
	trusted := []string{"https://www.maboite.test"}
	for _, tt := range []struct {
		name            string
		origin, referer string
		tls             bool
		want            error
	}{
		{"https, same-site referer", "", "https://client1.test/polls/1/", true, nil},
		{"https, trusted referer", "", "https://www.maboite.test/x", true, nil},
		{"https, no referer", "", "", true, errNoReferer},
		{"https, another site's referer", "", "https://evil.test/", true, errCrossOrigin},
		{"https, http referer of the site", "", "http://client1.test/", true, errCrossOrigin},
		{"https, same origin", "https://client1.test", "", true, nil},
		{"https, the site's origin over http", "http://client1.test", "", true, errCrossOrigin},
		{"http, no origin nor referer", "", "", false, nil},
		{"http, the site's https origin (a TLS proxy)", "https://client1.test", "", false, nil},
		{"http, another site's https origin", "https://client2.test", "", false, errCrossOrigin},
		{"http, an opaque origin", "null", "", false, errCrossOrigin},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/polls/1/vote/", nil)
			req.Host = "client1.test"
			if tt.tls {
				req.TLS = &tls.ConnectionState{}
			}
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			if tt.referer != "" {
				req.Header.Set("Referer", tt.referer)
			}
			c := echo.New().NewContext(req, httptest.NewRecorder())
			if err := checkOrigin(c, trusted); !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}
