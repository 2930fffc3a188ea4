package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
)

// Mount registers the admin's pages under /admin/ on site, the group
// behind the tenant lifecycle, which gives each handler its webctx.Request.
// Paths are Django's (paths.go), so Django users find their way and their
// bookmarks work.
func (h *Handler) Mount(site *echo.Group) {
	g := site.Group(pathRoot)
	open := []echo.MiddlewareFunc{noStore}
	staff := []echo.MiddlewareFunc{noStore, h.requireStaff}
	super := []echo.MiddlewareFunc{noStore, h.requireStaff, requireSuperuser}

	g.GET("", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, pathIndex) })
	g.GET(rel(pathIndex), webctx.Handle(h.index), staff...)
	g.GET(rel(pathLogin), webctx.Handle(h.loginForm), open...)
	g.POST(rel(pathLogin), webctx.Handle(h.login), open...)
	g.POST(rel(pathLogout), webctx.Handle(h.logout), open...)
	g.GET(rel(pathPasswordChange), webctx.Handle(h.passwordChangeForm), staff...)
	g.POST(rel(pathPasswordChange), webctx.Handle(h.passwordChange), staff...)
	g.GET(rel(pathPasswordDone), webctx.Handle(h.passwordChangeDone), staff...)

	g.GET(rel(pathPollsApp), webctx.Handle(h.appIndex("polls")), staff...)
	g.GET(rel(pathQuestions), webctx.Handle(h.questionList), staff...)
	g.POST(rel(pathQuestions), webctx.Handle(h.questionAction), staff...)
	g.GET(rel(pathQuestionAdd), webctx.Handle(h.questionAddForm), staff...)
	g.POST(rel(pathQuestionAdd), webctx.Handle(h.questionAdd), staff...)
	g.GET(rel(pathQuestion), redirectToChange, staff...)
	g.GET(rel(pathQuestionChange), webctx.Handle(h.questionChangeForm), staff...)
	g.POST(rel(pathQuestionChange), webctx.Handle(h.questionChange), staff...)
	g.GET(rel(pathQuestionDelete), webctx.Handle(h.questionDeleteForm), staff...)
	g.POST(rel(pathQuestionDelete), webctx.Handle(h.questionDelete), staff...)
	g.GET(rel(pathChoices), webctx.Handle(h.choiceList), staff...)

	g.GET(rel(pathAuthApp), webctx.Handle(h.appIndex("auth")), super...)
	g.GET(rel(pathUsers), webctx.Handle(h.userList), super...)
	g.GET(rel(pathUserAdd), webctx.Handle(h.userAddForm), super...)
	g.POST(rel(pathUserAdd), webctx.Handle(h.userAdd), super...)
	g.GET(rel(pathUser), redirectToChange, super...)
	g.GET(rel(pathUserChange), webctx.Handle(h.userChangeForm), super...)
	g.POST(rel(pathUserChange), webctx.Handle(h.userChange), super...)
	g.GET(rel(pathUserDelete), webctx.Handle(h.userDeleteForm), super...)
	g.POST(rel(pathUserDelete), webctx.Handle(h.userDelete), super...)
}

// redirectToChange sends /admin/app/model/ID/ to its change page, as Django does.
func redirectToChange(c echo.Context) error {
	if _, err := pathID(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusFound, c.Request().URL.Path+"change/")
}
