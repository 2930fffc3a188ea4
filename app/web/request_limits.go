package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// Limits on the shape of a request, checked before anything else: Django's
// DATA_UPLOAD_MAX_NUMBER_FIELDS for the fields, a request line no browser
// needs longer, and the site taken from the Host header alone.
const maxRequestTarget = 8 << 10 // bytes of the request line's target

var (
	errTargetTooLong  = echo.NewHTTPError(http.StatusRequestURITooLong, "The address is too long.")
	errAbsoluteTarget = echo.NewHTTPError(http.StatusBadRequest,
		"This server takes the site from the Host header alone: send the path only in the request line.")
	errTooManyFields = echo.NewHTTPError(http.StatusBadRequest, "The request has too many fields.")
	errBadParameter  = echo.NewHTTPError(http.StatusBadRequest,
		"The address has a parameter with a null character or invalid text.")
)

// saneRequest refuses what no browser sends and what would cost more than a
// page: a request target over 8 KB (414), an absolute request target (400:
// Go's server takes the site from it and drops the Host header, so a request
// for one site could be routed by another's name), more than maxFields query
// parameters (0: no limit), and parameters with NUL or invalid UTF-8 (400).
func saneRequest(maxFields int) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if len(req.RequestURI) > maxRequestTarget {
				return errTargetTooLong
			}
			if req.URL.IsAbs() {
				return errAbsoluteTarget
			}
			if req.URL.RawQuery != "" {
				q, err := url.ParseQuery(req.URL.RawQuery)
				if err != nil {
					return errBadParameter
				}
				if err := checkFields(q, maxFields, errBadParameter); err != nil {
					return err
				}
			}
			return next(c)
		}
	}
}

// checkFields refuses more than maxFields values (0: no limit), and any name
// or value with NUL or invalid UTF-8 (answered with bad). Forms are only
// counted (countFields): a text field with NUL is the form's to explain.
func checkFields(fields url.Values, maxFields int, bad error) error {
	if err := countFields(fields, maxFields); err != nil {
		return err
	}
	for k, vs := range fields {
		if !cleanText(k) {
			return bad
		}
		for _, v := range vs {
			if !cleanText(v) {
				return bad
			}
		}
	}
	return nil
}

// cleanText reports whether s is valid UTF-8 without NUL: what PostgreSQL's
// text columns accept.
func cleanText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// countFields refuses more than maxFields values (0: no limit): Django's
// DATA_UPLOAD_MAX_NUMBER_FIELDS.
func countFields(fields url.Values, maxFields int) error {
	if maxFields <= 0 {
		return nil
	}
	n := 0
	for _, vs := range fields {
		n += len(vs)
	}
	if n > maxFields {
		return errTooManyFields
	}
	return nil
}
