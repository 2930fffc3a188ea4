package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
)

const (
	csrfCookie = "csrftoken"           // Django's cookie name
	csrfField  = "csrfmiddlewaretoken" // Django's form field name
	csrfHeader = "X-CSRFToken"         // Django's header, for scripts
)

// errCSRF is the 403 a form post gets with a missing or wrong token: in
// practice a page loaded long ago, or in another tenant's site.
var errCSRF = echo.NewHTTPError(http.StatusForbidden,
	"This form has expired or was not sent from this site (CSRF check failed). Reload the page and submit it again.")

// errCrossOrigin and errNoReferer are the 403s of a post from another site.
var (
	errCrossOrigin = echo.NewHTTPError(http.StatusForbidden,
		"This form was sent from another site (CSRF check failed: the origin does not match). Reload this site's page and submit it again.")
	errNoReferer = echo.NewHTTPError(http.StatusForbidden,
		"This form was sent without saying where from (CSRF check failed: no Referer on HTTPS). Allow your browser to send it for this site.")
)

// checkCSRF protects every unsafe request as Django 4 does: the form (from
// the body only) or an X-CSRFToken header must echo the random token of a
// host-only cookie, and the request must come from this site: its Origin,
// or on HTTPS its Referer, must be the site itself or one of trustedOrigins.
// Cookies are per host, so a token from one tenant's site is worthless on
// another's. It reads the whole body of an unsafe request, and returns the
// token forms must post back.
func checkCSRF(c echo.Context, trustedOrigins []string, maxFields int) (string, error) {
	token := ""
	if ck, err := c.Cookie(csrfCookie); err == nil && len(ck.Value) == 43 {
		token = ck.Value
	}
	req := c.Request()
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
	default:
		if err := checkOrigin(c, trustedOrigins); err != nil {
			return "", err
		}
		if _, err := c.FormParams(); err != nil { // reads the body; PostForm is the body's fields only
			return "", formError(err)
		}
		if err := countFields(req.PostForm, maxFields); err != nil {
			return "", err
		}
		sent := req.PostForm.Get(csrfField)
		if sent == "" {
			sent = req.Header.Get(csrfHeader)
		}
		if token == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
			return "", errCSRF
		}
	}
	if token == "" {
		token = setCSRFCookie(c)
	}
	return token, nil
}

// setCSRFCookie gives the visitor a new token and returns it.
func setCSRFCookie(c echo.Context) string {
	token := newCSRFToken()
	c.SetCookie(&http.Cookie{
		Name: csrfCookie, Value: token, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: isSecure(c), SameSite: http.SameSiteLaxMode,
	})
	return token
}

// checkOrigin refuses an unsafe request sent from another site: Django's
// "Origin checking failed" and, on HTTPS without an Origin, its Referer
// checks. Over plain HTTP an https Origin of the same host is the site
// itself behind a TLS-terminating proxy not (yet) in server.trusted_proxies,
// and is accepted: only the host tells sites apart there.
func checkOrigin(c echo.Context, trusted []string) error {
	req := c.Request()
	secure := isSecure(c)
	if origin := req.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		sameSite := err == nil && strings.EqualFold(u.Host, req.Host) &&
			(u.Scheme == "https" || u.Scheme == "http" && !secure)
		if !sameSite && !slices.Contains(trusted, strings.ToLower(origin)) {
			return errCrossOrigin
		}
		return nil
	}
	if !secure {
		return nil // plain HTTP: browsers send Origin on cross-site posts; Referer proves nothing here
	}
	referer := req.Header.Get("Referer")
	if referer == "" {
		return errNoReferer
	}
	u, err := url.Parse(referer)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return errCrossOrigin
	}
	if !strings.EqualFold(u.Host, req.Host) && !slices.Contains(trusted, "https://"+strings.ToLower(u.Host)) {
		return errCrossOrigin
	}
	return nil
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

// guardForm reads the whole body and checks its CSRF token (checkCSRF),
// and lets the handler give the visitor a new token (RotateCSRF).
func guardForm(c echo.Context, r *webctx.Request, trustedOrigins []string, maxFields int) error {
	token, err := checkCSRF(c, trustedOrigins, maxFields)
	if err != nil {
		return err
	}
	r.CSRF = token
	r.RotateCSRF = func() { r.CSRF = setCSRFCookie(c) }
	return nil
}
