package admin

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/auth"
	"polls/app/i18n"
	"polls/app/webctx"
)

// msgSuspendedLogin refuses a staff user who is not a superuser while the
// site is suspended.
const msgSuspendedLogin = "This site is suspended: only its superusers may log in."

// msgBadLogin is Django's message, which says nothing of which field was wrong.
const msgBadLogin = "Please enter the correct username and password for a staff account. " +
	"Note that both fields may be case-sensitive."

// loginPage is the data of admin/login.
type loginPage struct {
	base
	Username      string
	Next          string
	Error         string      // the form's error, above the fields
	FieldErrors   fieldErrors // "username", "password"
	Authenticated string      // a logged-in user who is not staff
}

// loginForm shows the login form, or goes straight on for a staff user who
// is logged in already.
func (h *Handler) loginForm(c echo.Context, r *webctx.Request) error {
	next := safeNext(c.QueryParam("next"))
	_, u, err := h.sessions.Current(c, r.DB)
	if err != nil && !errors.Is(err, auth.ErrNoSession) {
		return err
	}
	if err == nil && admitted(r, u) {
		return c.Redirect(http.StatusFound, next)
	}
	p, perr := h.loginPageFor(c, r, next)
	if perr != nil {
		return perr
	}
	if err == nil {
		p.Authenticated = u.Username
	}
	return c.Render(http.StatusOK, "admin/login", p)
}

// login checks the credentials. Each check is first reserved with the
// throttle (per site, username and client address, and per account across
// addresses: see auth.Throttle), so a refused attempt costs no hash and
// parallel requests get no more checks than the limits allow.
func (h *Handler) login(c echo.Context, r *webctx.Request) error {
	username, password := c.FormValue("username"), c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	p, err := h.loginPageFor(c, r, next)
	if err != nil {
		return err
	}
	p.Username = username
	if errs := loginFieldErrors(username, password); errs.count() > 0 {
		if len(errs["username"]) > 0 {
			p.Username = "" // nothing worth showing again
		}
		p.FieldErrors = errs
		return c.Render(http.StatusOK, "admin/login", p)
	}

	// The site's schema is only a key here, to keep tenants' counters apart.
	attempt, err := h.throttle.Reserve(r.Site.Schema, username, clientAddr(c))
	var throttled *auth.ThrottledError
	if errors.As(err, &throttled) {
		return renderThrottled(c, tr(r), p, throttled.Wait)
	}
	if err != nil {
		return err
	}
	defer attempt.Cancel() // no password checked after all: give the attempt back

	// Authenticate gives the connection back (Checkpoint) before it waits
	// for a hashing slot: the next query through r.DB opens a new one.
	db := r.DB
	u, err := h.hasher.Authenticate(requestCtx(r), db, r.Checkpoint, username, password)
	if err == nil && !u.IsStaff {
		err = auth.ErrBadCredentials
	}
	if errors.Is(err, auth.ErrBadCredentials) {
		attempt.Fail()
		p.Error = msgBadLogin
		return c.Render(http.StatusOK, "admin/login", p)
	}
	if err != nil {
		return err
	}
	attempt.Succeed()
	if !admitted(r, u) { // the password was right: the site is suspended
		p.Error = msgSuspendedLogin
		return c.Render(http.StatusOK, "admin/login", p)
	}
	if err := h.sessions.Login(c, db, u, r.Secure); err != nil {
		return err
	}
	r.RotateCSRF() // as Django: a token seen before the login is worthless after it
	return c.Redirect(http.StatusSeeOther, next)
}

// renderThrottled answers an attempt the throttle refused: 429, with
// Retry-After and the wait in words (minutes, or seconds when shorter).
func renderThrottled(c echo.Context, z i18n.Localizer, p loginPage, wait time.Duration) error {
	seconds := int64(math.Ceil(wait.Seconds()))
	c.Response().Header().Set("Retry-After", strconv.FormatInt(seconds, 10))
	in := z.T("%d second", seconds)
	if seconds >= 60 {
		in = z.T("%d minute", int64(math.Ceil(wait.Minutes())))
	}
	p.Error = z.T("Too many failed login attempts for this account. Please try again in %s.", in)
	return c.Render(http.StatusTooManyRequests, "admin/login", p)
}

// loginFieldErrors checks the login form's two fields before anything else
// looks at them: required, and text PostgreSQL can take (textProblem). None
// of this checks a password, so none of it counts against the throttle.
func loginFieldErrors(username, password string) fieldErrors {
	errs := fieldErrors{}
	for _, f := range []struct{ name, value string }{{"username", username}, {"password", password}} {
		if f.value == "" {
			errs.add(f.name, msgRequired)
			continue
		}
		validText(errs, f.name, f.value)
	}
	return errs
}

func (h *Handler) loginPageFor(c echo.Context, r *webctx.Request, next string) (loginPage, error) {
	b, err := h.page(c, r, "Log in")
	b.BodyClass = "login"
	return loginPage{base: b, Next: next}, err
}

// logout ends the session (POST only, so no link or image can log anyone out).
func (h *Handler) logout(c echo.Context, r *webctx.Request) error {
	if err := h.sessions.Logout(c, r.DB, r.Secure); err != nil {
		return err
	}
	b, err := h.page(c, r, "Logged out")
	if err != nil {
		return err
	}
	b.Crumbs = []crumb{{"Home", pathIndex}}
	return c.Render(http.StatusOK, "admin/logged_out", b)
}
