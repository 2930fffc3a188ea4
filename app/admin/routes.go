package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
)

// Mount registers the admin's pages on g, a group at /admin/ behind the tenant
// lifecycle, which gives each handler its webctx.Request. Paths are Django's,
// so Django users find their way and their bookmarks work.
func (h *Handler) Mount(g *echo.Group) {
	open := []echo.MiddlewareFunc{noStore}
	staff := []echo.MiddlewareFunc{noStore, h.requireStaff}
	super := []echo.MiddlewareFunc{noStore, h.requireStaff, requireSuperuser}

	g.GET("", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/admin/") })
	g.GET("/", webctx.Handle(h.index), staff...)
	g.GET("/login/", webctx.Handle(h.loginForm), open...)
	g.POST("/login/", webctx.Handle(h.login), open...)
	g.POST("/logout/", webctx.Handle(h.logout), open...)
	g.GET("/password_change/", webctx.Handle(h.passwordChangeForm), staff...)
	g.POST("/password_change/", webctx.Handle(h.passwordChange), staff...)
	g.GET("/password_change/done/", webctx.Handle(h.passwordChangeDone), staff...)

	g.GET("/polls/", webctx.Handle(h.appIndex("polls")), staff...)
	g.GET("/polls/question/", webctx.Handle(h.questionList), staff...)
	g.POST("/polls/question/", webctx.Handle(h.questionAction), staff...)
	g.GET("/polls/question/add/", webctx.Handle(h.questionAddForm), staff...)
	g.POST("/polls/question/add/", webctx.Handle(h.questionAdd), staff...)
	g.GET("/polls/question/:id/", redirectToChange, staff...)
	g.GET("/polls/question/:id/change/", webctx.Handle(h.questionChangeForm), staff...)
	g.POST("/polls/question/:id/change/", webctx.Handle(h.questionChange), staff...)
	g.GET("/polls/question/:id/delete/", webctx.Handle(h.questionDeleteForm), staff...)
	g.POST("/polls/question/:id/delete/", webctx.Handle(h.questionDelete), staff...)
	g.GET("/polls/choice/", webctx.Handle(h.choiceList), staff...)

	g.GET("/auth/", webctx.Handle(h.appIndex("auth")), super...)
	g.GET("/auth/user/", webctx.Handle(h.userList), super...)
	g.GET("/auth/user/add/", webctx.Handle(h.userAddForm), super...)
	g.POST("/auth/user/add/", webctx.Handle(h.userAdd), super...)
	g.GET("/auth/user/:id/", redirectToChange, super...)
	g.GET("/auth/user/:id/change/", webctx.Handle(h.userChangeForm), super...)
	g.POST("/auth/user/:id/change/", webctx.Handle(h.userChange), super...)
	g.GET("/auth/user/:id/delete/", webctx.Handle(h.userDeleteForm), super...)
	g.POST("/auth/user/:id/delete/", webctx.Handle(h.userDelete), super...)
}

// redirectToChange sends /admin/app/model/ID/ to its change page, as Django does.
func redirectToChange(c echo.Context) error {
	if _, err := pathID(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusFound, c.Request().URL.Path+"change/")
}
