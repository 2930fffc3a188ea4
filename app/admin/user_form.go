package admin

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"polls/app/auth"
	"polls/app/webctx"
	"polls/models"
)

const msgUsernameTaken = "A user with that username already exists."

// userFormPage is the data of admin/user_form, for adding and changing.
type userFormPage struct {
	base
	Adding                         bool
	Action, DeleteURL              string
	Username, Email                string
	FirstName, LastName            string
	IsActive, IsStaff, IsSuperuser bool
	LastLogin, DateJoined          string
	Errors                         fieldErrors
	ErrorNote                      string
}

// readUserForm checks a posted user over old (zero when adding) and returns
// the user to save and the new password ("" to keep the old one).
func readUserForm(db *gorm.DB, form url.Values, old models.User) (models.User, string, fieldErrors, error) {
	errs := fieldErrors{}
	u := old
	u.Username = strings.TrimSpace(form.Get("username"))
	u.Email = strings.TrimSpace(form.Get("email"))
	u.FirstName = optionalText(errs, "first_name", form.Get("first_name"), 150)
	u.LastName = optionalText(errs, "last_name", form.Get("last_name"), 150)
	u.IsActive, u.IsStaff, u.IsSuperuser = form.Has("is_active"), form.Has("is_staff"), form.Has("is_superuser")
	switch msg := auth.UsernameProblem(u.Username); {
	case !validText(errs, "username", u.Username): // its message is added; nothing else to say
	case u.Username == "":
		errs.add("username", msgRequired)
	case msg != "":
		errs.add("username", msg)
	case u.Username != old.Username:
		taken, err := models.UsernameTaken(db, u.Username)
		if err != nil {
			return u, "", errs, err
		}
		if taken {
			errs.add("username", msgUsernameTaken)
		}
	}
	if validText(errs, "email", u.Email) {
		if msg := auth.EmailProblem(u.Email); msg != "" {
			errs.add("email", msg)
		}
	}
	pw1, pw2 := form.Get("password1"), form.Get("password2")
	password := ""
	// Changing, both blank keeps the password. Either one unusable leaves
	// nothing to compare or validate.
	ok1, ok2 := validText(errs, "password1", pw1), validText(errs, "password2", pw2)
	if ok1 && ok2 && (old.ID == 0 || pw1 != "" || pw2 != "") {
		password = checkNewPassword(errs, "password1", "password2", pw1, pw2, u.Username, u.Email)
	}
	return u, password, errs, nil
}

func (h *Handler) userAddForm(c echo.Context, r *webctx.Request) error {
	b, err := h.page(c, r, "Add user", crumbAuth, crumbUsers, crumb{Label: "Add user"})
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "admin/user_form", userFormPage{base: b, Adding: true, Action: pathUserAdd, IsActive: true})
}

// userAdd creates a user. A username taken between the check and the insert
// is caught in a savepoint, so the form can still be shown with its error.
func (h *Handler) userAdd(c echo.Context, r *webctx.Request) error {
	form, err := formOf(c)
	if err != nil {
		return err
	}
	db := r.DB
	u, password, errs, err := readUserForm(db, form, models.User{})
	if err != nil {
		return err
	}
	if errs.count() == 0 {
		u.Password, err = h.hashPassword(r, password)
		if err != nil {
			return err
		}
		u.DateJoined = h.now()
		err = db.Transaction(func(tx *gorm.DB) error { return models.CreateUser(tx, &u) })
		if errors.Is(err, models.ErrConflict) {
			errs.add("username", msgUsernameTaken)
		} else if err != nil {
			return err
		}
	}
	if n := errs.count(); n > 0 {
		b, err := h.page(c, r, "Add user", crumbAuth, crumbUsers, crumb{Label: "Add user"})
		if err != nil {
			return err
		}
		return c.Render(http.StatusOK, "admin/user_form", userFormPage{
			base: b, Adding: true, Action: pathUserAdd, Username: u.Username, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
			IsActive: u.IsActive, IsStaff: u.IsStaff, IsSuperuser: u.IsSuperuser, Errors: errs, ErrorNote: errorNote(n),
		})
	}
	return h.saved(c, r, form, userModel, u.ID, u.Username, models.ActionAddition, "")
}

func (h *Handler) userChangeForm(c echo.Context, r *webctx.Request) error {
	u, err := loadFromPath(c, r, models.UserByID)
	if err != nil {
		return err
	}
	return h.renderUserChange(c, r, u, u, nil)
}

// userChange saves a user's details, flags and (when given) new password; a
// new password ends the user's other sessions.
func (h *Handler) userChange(c echo.Context, r *webctx.Request) error {
	old, form, err := loadForChange(c, r, models.UserByID)
	if err != nil {
		return err
	}
	id, db := old.ID, r.DB
	u, password, errs, err := readUserForm(db, form, old)
	if err != nil {
		return err
	}
	hash := ""
	if errs.count() == 0 && password != "" {
		// Hashed before anything is written: hashing commits what came before.
		if hash, err = h.hashPassword(r, password); err != nil {
			return err
		}
	}
	if errs.count() == 0 {
		err = db.Transaction(func(tx *gorm.DB) error { return models.SaveUser(tx, u) })
		if errors.Is(err, models.ErrConflict) {
			errs.add("username", msgUsernameTaken)
		} else if err != nil {
			return err
		}
	}
	if errs.count() > 0 {
		return h.renderUserChange(c, r, old, u, errs)
	}
	if password != "" {
		if err := h.replacePassword(c, r, id, hash); err != nil {
			return err
		}
	}
	return h.saved(c, r, form, userModel, id, u.Username, models.ActionChange, userChangeMessage(old, u, password != ""))
}

// renderUserChange shows the change form of old, filled with u.
func (h *Handler) renderUserChange(c echo.Context, r *webctx.Request, old, u models.User, errs fieldErrors) error {
	b, err := h.page(c, r, "Change user", crumbAuth, crumbUsers, crumb{Label: old.Username})
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "admin/user_form", userFormPage{
		base: b, Action: userChangeURL(old.ID), DeleteURL: link(pathUserDelete, old.ID),
		Username: u.Username, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, IsActive: u.IsActive, IsStaff: u.IsStaff, IsSuperuser: u.IsSuperuser,
		LastLogin: formatTimePtrIn(tr(r), old.LastLogin), DateJoined: formatTimeIn(tr(r), old.DateJoined),
		Errors: errs, ErrorNote: errorNote(errs.count()),
	})
}

// userChangeMessage names the changed fields for the admin log.
func userChangeMessage(old, u models.User, password bool) string {
	var fields []string
	for _, f := range []struct {
		changed bool
		name    string
	}{
		{old.Username != u.Username, "username"}, {old.FirstName != u.FirstName, "first name"},
		{old.LastName != u.LastName, "last name"}, {old.Email != u.Email, "email address"},
		{old.IsActive != u.IsActive, "active"}, {old.IsStaff != u.IsStaff, "staff status"},
		{old.IsSuperuser != u.IsSuperuser, "superuser status"}, {password, "password"},
	} {
		if f.changed {
			fields = append(fields, f.name)
		}
	}
	if len(fields) == 0 {
		return "No fields changed."
	}
	return "Changed " + strings.Join(fields, ", ") + "."
}
