package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// Mount registers the admin's pages on g, a group at /admin/ behind the tenant
// middleware and the CSRF check. Paths are Django's, so Django users find
// their way and their bookmarks work.
func (h *Handler) Mount(g *echo.Group) {
	open := []echo.MiddlewareFunc{noStore}
	staff := []echo.MiddlewareFunc{noStore, h.requireStaff}
	super := []echo.MiddlewareFunc{noStore, h.requireStaff, requireSuperuser}

	g.GET("", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/admin/") })
	g.GET("/", h.index, staff...)
	g.GET("/login/", h.loginForm, open...)
	g.POST("/login/", h.login, open...)
	g.POST("/logout/", h.logout, open...)
	g.GET("/password_change/", h.passwordChangeForm, staff...)
	g.POST("/password_change/", h.passwordChange, staff...)
	g.GET("/password_change/done/", h.passwordChangeDone, staff...)

	g.GET("/polls/", h.appIndex("polls"), staff...)
	g.GET("/polls/question/", h.questionList, staff...)
	g.POST("/polls/question/", h.questionAction, staff...)
	g.GET("/polls/question/add/", h.questionAddForm, staff...)
	g.POST("/polls/question/add/", h.questionAdd, staff...)
	g.GET("/polls/question/:id/", redirectToChange, staff...)
	g.GET("/polls/question/:id/change/", h.questionChangeForm, staff...)
	g.POST("/polls/question/:id/change/", h.questionChange, staff...)
	g.GET("/polls/question/:id/delete/", h.questionDeleteForm, staff...)
	g.POST("/polls/question/:id/delete/", h.questionDelete, staff...)
	g.GET("/polls/choice/", h.choiceList, staff...)

	g.GET("/auth/", h.appIndex("auth"), super...)
	g.GET("/auth/user/", h.userList, super...)
	g.GET("/auth/user/add/", h.userAddForm, super...)
	g.POST("/auth/user/add/", h.userAdd, super...)
	g.GET("/auth/user/:id/", redirectToChange, super...)
	g.GET("/auth/user/:id/change/", h.userChangeForm, super...)
	g.POST("/auth/user/:id/change/", h.userChange, super...)
	g.GET("/auth/user/:id/delete/", h.userDeleteForm, super...)
	g.POST("/auth/user/:id/delete/", h.userDelete, super...)
}

// redirectToChange sends /admin/app/model/ID/ to its change page, as Django does.
func redirectToChange(c echo.Context) error {
	if _, err := pathID(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusFound, c.Request().URL.Path+"change/")
}
