package public

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"polls/app/auth"
)

// maxSiteName bounds the site's name, shown in every page's title.
const maxSiteName = 100

const (
	msgRequired         = "This field is required."
	msgPasswordMismatch = "The two password fields didn’t match." // Django's UserCreationForm
	msgBadText          = "Enter text without control characters."
)

// signupForm is the sign-up form as posted. The passwords are never shown
// again.
type signupForm struct {
	SiteName, Subdomain, Username, Email string
	password1, password2                 string
}

func readForm(c echo.Context) signupForm {
	return signupForm{
		SiteName:  strings.TrimSpace(c.FormValue("site_name")),
		Subdomain: strings.TrimSpace(c.FormValue("subdomain")),
		Username:  strings.TrimSpace(c.FormValue("username")),
		Email:     strings.TrimSpace(c.FormValue("email")),
		password1: c.FormValue("password1"),
		password2: c.FormValue("password2"),
	}
}

// fieldErrors are the form's messages by field name.
type fieldErrors map[string][]string

func (e fieldErrors) add(field string, msgs ...string) { e[field] = append(e[field], msgs...) }

// problems checks every field as createsuperuser and Django's
// UserCreationForm do: the username and email as createsuperuser checks
// them (the email required here, to reach the site's owner), the passwords
// equal and past Django's validators.
func (f signupForm) problems() fieldErrors {
	errs := fieldErrors{}
	switch n := utf8.RuneCountInString(f.SiteName); {
	case n == 0:
		errs.add("site_name", msgRequired)
	case n > maxSiteName:
		errs.add("site_name", fmt.Sprintf("Ensure this value has at most %d characters (it has %d).", maxSiteName, n))
	case !plainText(f.SiteName):
		errs.add("site_name", msgBadText)
	}
	if f.Subdomain == "" {
		errs.add("subdomain", msgRequired)
	} else if msg := subdomainProblem(f.Subdomain); msg != "" {
		errs.add("subdomain", msg)
	}
	if msg := auth.UsernameProblem(f.Username); f.Username == "" {
		errs.add("username", msgRequired)
	} else if msg != "" {
		errs.add("username", msg)
	}
	if msg := auth.EmailProblem(f.Email); f.Email == "" {
		errs.add("email", msgRequired)
	} else if msg != "" {
		errs.add("email", msg)
	}
	switch {
	case f.password1 == "":
		errs.add("password1", msgRequired)
	case f.password2 == "":
		errs.add("password2", msgRequired)
	case f.password1 != f.password2:
		errs.add("password2", msgPasswordMismatch)
	case !plainText(f.password1):
		errs.add("password1", msgBadText)
	default:
		errs.add("password2", auth.PasswordProblems(f.password1, f.Username, f.Email)...)
	}
	for field, msgs := range errs {
		if len(msgs) == 0 {
			delete(errs, field)
		}
	}
	return errs
}

// plainText: valid UTF-8 without control characters (a NUL PostgreSQL
// refuses; the others have no place in a name or password typed in a form).
func plainText(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, unicode.IsControl) < 0
}
