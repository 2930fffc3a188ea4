package admin

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"polls/app/auth"
	"polls/app/webctx"
)

// pathHandoff is where a person who just signed up on the main domain lands
// on their new site (HandoffURL).
const pathHandoff = pathRoot + "/handoff/"

// msgHandoffUsed explains a handoff link that no longer logs anyone in.
const msgHandoffUsed = "This sign-in link has expired or was already used: it works once, within a minute. " +
	"Log in with your username and password."

// HandoffURL is the path and query, on the new tenant's host, that logs in
// the holder of a handoff token (auth.NewHandoff) and opens the admin. The
// token rides in the query, which the access log leaves out.
func HandoffURL(token string) string {
	return pathHandoff + "?" + url.Values{"token": {token}}.Encode()
}

// handoff exchanges a handoff token for a session of this host: the token's
// session (made in this tenant's schema when the tenant was created) is
// deleted, a new one is started with its own cookie, and the visitor goes to
// the admin index. The session is never shared across hosts: the main
// domain's request only carried the token here. Every effect goes through
// r.DB, so a re-run of this handler is harmless.
func (h *Handler) handoff(c echo.Context, r *webctx.Request) error {
	u, err := h.sessions.TakeHandoff(r.DB, c.QueryParam("token"))
	if err == nil && !admitted(r, u) {
		err = auth.ErrNoSession
	}
	if errors.Is(err, auth.ErrNoSession) {
		p, perr := h.loginPageFor(c, r, pathIndex)
		if perr != nil {
			return perr
		}
		p.Error = msgHandoffUsed
		return c.Render(http.StatusOK, "admin/login", p)
	}
	if err != nil {
		return err
	}
	if err := h.sessions.Login(c, r.DB, u, r.Secure); err != nil {
		return err
	}
	r.RotateCSRF()
	return c.Redirect(http.StatusSeeOther, pathIndex)
}
