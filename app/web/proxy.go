package web

import "github.com/labstack/echo/v4"

// isSecure reports whether the visitor reached polls over TLS: cookies are
// then marked Secure and CSRF checks the Referer as Django does on HTTPS.
func isSecure(c echo.Context) bool {
	return c.Request().TLS != nil
}
