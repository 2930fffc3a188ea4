package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"polls/app/auth"
	"polls/app/webctx"
	"polls/models"
)

const msgOldPasswordWrong = "Your old password was entered incorrectly. Please enter it again."

// passwordChangePage is the data of admin/password_change.
type passwordChangePage struct {
	base
	Errors    fieldErrors
	ErrorNote string
}

func (h *Handler) passwordChangeForm(c echo.Context, r *webctx.Request) error {
	b, err := h.page(c, r, "Password change", crumb{Label: "Password change"})
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "admin/password_change", passwordChangePage{base: b})
}

// passwordChange sets the logged-in user's password after checking the old
// one (see replacePassword for the sessions). Both hashes, the old
// password's check and the new one's hash, run after the connection is
// given back.
func (h *Handler) passwordChange(c echo.Context, r *webctx.Request) error {
	u, ctx := currentUser(c), requestCtx(r)
	errs := fieldErrors{}
	pw1, pw2 := c.FormValue("new_password1"), c.FormValue("new_password2")
	pw := ""
	if ok1, ok2 := validText(errs, "new_password1", pw1), validText(errs, "new_password2", pw2); ok1 && ok2 {
		pw = checkNewPassword(errs, "new_password1", "new_password2", pw1, pw2, u.Username, u.Email)
	}
	if err := r.Checkpoint(ctx); err != nil {
		return err
	}
	if old := c.FormValue("old_password"); old == "" {
		errs.add("old_password", msgRequired)
	} else if !validText(errs, "old_password", old) {
		// its message is added; a password with NUL was never set
	} else if ok, err := h.hasher.Check(ctx, u.Password, old); err != nil {
		return err
	} else if !ok {
		errs.add("old_password", msgOldPasswordWrong)
	}
	if n := errs.count(); n > 0 {
		b, err := h.page(c, r, "Password change", crumb{Label: "Password change"})
		if err != nil {
			return err
		}
		return c.Render(http.StatusOK, "admin/password_change", passwordChangePage{base: b, Errors: errs, ErrorNote: errorNote(n)})
	}
	hash, err := h.hashPassword(r, pw)
	if err != nil {
		return err
	}
	if err := h.replacePassword(c, r, u.ID, hash); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, pathPasswordDone)
}

func (h *Handler) passwordChangeDone(c echo.Context, r *webctx.Request) error {
	b, err := h.page(c, r, "Password change successful", crumb{Label: "Password change"})
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "admin/password_change_done", b)
}

// checkNewPassword checks a new password typed twice, Django's way: both
// required, equal, and passing the validators (whose messages go under the
// second field). It returns the password when there was nothing to say.
func checkNewPassword(errs fieldErrors, field1, field2, pw1, pw2, username, email string) string {
	before := errs.count()
	if pw1 == "" {
		errs.add(field1, msgRequired)
	}
	if pw2 == "" {
		errs.add(field2, msgRequired)
	}
	if pw1 != "" && pw2 != "" && pw1 != pw2 {
		errs.add(field2, msgPasswordMismatch)
	}
	if errs.count() == before {
		for _, msg := range auth.PasswordProblems(pw2, username, email) {
			errs.add(field2, msg)
		}
	}
	if errs.count() > before {
		return ""
	}
	return pw1
}

// hashPassword hashes a new password in one of the process's hashing
// slots, after giving the request's connection back (r.Checkpoint), so no
// connection waits on argon2id. What the request did before is committed
// then: call it before writing anything that must commit with the password.
func (h *Handler) hashPassword(r *webctx.Request, password string) (string, error) {
	ctx := requestCtx(r)
	if err := r.Checkpoint(ctx); err != nil {
		return "", err
	}
	return h.hasher.Hash(ctx, password)
}

// replacePassword stores a user's new password hash (from hashPassword) and
// ends every session of theirs: whoever knew the old password loses their
// session with it. Users changing their own keep theirs under a new key,
// as Django's update_session_auth_hash does, so a copy of the old token
// does not outlive the old password either.
func (h *Handler) replacePassword(c echo.Context, r *webctx.Request, userID int64, hash string) error {
	if err := models.SetPassword(r.DB, userID, hash); err != nil {
		return err
	}
	if err := models.DeleteUserSessions(r.DB, userID, ""); err != nil {
		return err
	}
	if currentUser(c).ID != userID {
		return nil
	}
	sess, err := h.sessions.Rotate(c, r.DB, currentSession(c), r.Secure)
	if err != nil {
		return err
	}
	c.Set(sessionKey, sess) // a message for the next page goes to the new session
	return nil
}
