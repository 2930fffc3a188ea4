package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
)

const (
	csrfCookie = "csrftoken"           // Django's cookie name
	csrfField  = "csrfmiddlewaretoken" // Django's form field name
)

// errCSRF is the 403 a form post gets with a missing or wrong token: in
// practice a page loaded long ago, or in another tenant's site.
var errCSRF = echo.NewHTTPError(http.StatusForbidden,
	"This form has expired or was not sent from this site (CSRF check failed). Reload the page and submit it again.")

// checkCSRF protects every unsafe request with a double-submit token: a random
// value in a host-only cookie that the form must echo back. Cookies are per
// host, so a token from one tenant's site is worthless on another's. It reads
// the whole form (the body) of an unsafe request, and returns the token forms
// must post back.
func checkCSRF(c echo.Context) (string, error) {
	token := ""
	if ck, err := c.Cookie(csrfCookie); err == nil && len(ck.Value) == 43 {
		token = ck.Value
	}
	switch c.Request().Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		form, err := c.FormParams()
		if err != nil {
			return "", formError(err)
		}
		sent := form.Get(csrfField)
		if token == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
			return "", errCSRF
		}
	}
	if token == "" {
		token = newCSRFToken()
		c.SetCookie(&http.Cookie{
			Name: csrfCookie, Value: token, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: c.IsTLS(), SameSite: http.SameSiteLaxMode,
		})
	}
	return token, nil
}

// formError turns a body that could not be read into the right 4xx: 413 when
// it was over the size limit (also for chunked bodies), 400 otherwise.
func formError(err error) error {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return echo.ErrStatusRequestEntityTooLarge
	}
	return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
}

func newCSRFToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}
