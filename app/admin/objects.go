package admin

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"polls/app/webctx"
)

// loadFromPath loads the object an admin URL names by its :id, with load: a
// malformed id and a missing object are both the 404 page.
func loadFromPath[T any](c echo.Context, r *webctx.Request, load func(*gorm.DB, int64) (T, error)) (T, error) {
	id, err := pathID(c)
	if err != nil {
		var zero T
		return zero, err
	}
	return load(r.DB, id)
}

// loadForChange is loadFromPath for a change page's post: the object it
// names and the form posted for it.
func loadForChange[T any](c echo.Context, r *webctx.Request, load func(*gorm.DB, int64) (T, error)) (T, url.Values, error) {
	obj, err := loadFromPath(c, r, load)
	if err != nil {
		return obj, nil, err
	}
	form, err := formOf(c)
	return obj, form, err
}

// errFormUnreadable is the 400 of a form post whose body could not be parsed.
var errFormUnreadable = echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")

// formOf returns the posted form (the tenant lifecycle has read it already,
// to check its CSRF token).
func formOf(c echo.Context) (url.Values, error) {
	form, err := c.FormParams()
	if err != nil {
		return nil, errFormUnreadable
	}
	return form, nil
}
