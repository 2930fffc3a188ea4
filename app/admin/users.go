package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
)

func userChangeURL(id int64) string { return link(pathUserChange, id) }

// userList lists the tenant's users (superusers only), searchable by
// username and email.
func (h *Handler) userList(c echo.Context, r *webctx.Request) error {
	q := listQuery(c.QueryParams())
	b, err := h.page(c, r, "Select user to change", crumbAuth, crumb{Label: "Users"})
	if err != nil {
		return err
	}
	db := r.DB
	want := requestedPage(q)
	us, total, err := models.AdminUsers(db, q.get("q"), (want-1)*perPage, perPage)
	if err != nil {
		return err
	}
	cur, pages := paginate(q, pathUsers, total)
	if cur != want {
		if us, total, err = models.AdminUsers(db, q.get("q"), (cur-1)*perPage, perPage); err != nil {
			return err
		}
	}
	p := ChangeList{
		Base: b, Heading: "Select user to change", AddURL: pathUserAdd, AddLabel: "Add user",
		Search: true, Query: q.get("q"), SearchNote: searchNote(tr(r), q.get("q")), Pages: pages, Count: tr(r).T("%d user", total),
		Columns: []Column{{Label: "Username"}, {Label: "Email address"}, {Label: "First name"}, {Label: "Last name"},
			{Label: "Staff status"}, {Label: "Superuser status"}, {Label: "Active"}},
	}
	for _, u := range us {
		p.Rows = append(p.Rows, Row{ID: u.ID, Cells: []Cell{
			{Text: u.Username, URL: userChangeURL(u.ID)}, {Text: u.Email}, {Text: u.FirstName}, {Text: u.LastName},
			{IsBool: true, Yes: u.IsStaff}, {IsBool: true, Yes: u.IsSuperuser}, {IsBool: true, Yes: u.IsActive},
		}})
	}
	return c.Render(http.StatusOK, "admin/change_list", p)
}

// userDeleteForm asks for confirmation before deleting a user.
func (h *Handler) userDeleteForm(c echo.Context, r *webctx.Request) error {
	u, err := loadFromPath(c, r, models.UserByID)
	if err != nil {
		return err
	}
	id := u.ID
	b, err := h.page(c, r, "Are you sure?", crumbAuth, crumbUsers, crumb{u.Username, userChangeURL(id)}, crumb{Label: "Delete"})
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "admin/delete_confirmation", deletePage{
		base:       b,
		Prompt:     tr(r).T("Are you sure you want to delete the user “%s”? All of the following related items will be deleted:", u.Username),
		Objects:    []deletedObject{{Label: tr(r).T("User: %s", u.Username), URL: userChangeURL(id)}},
		Summary:    []summaryItem{{"Users", 1}},
		Hidden:     []HiddenField{{"post", "yes"}},
		FormAction: c.Request().URL.Path, CancelURL: userChangeURL(id),
	})
}

// userDelete deletes a user and their sessions. The log entry is written
// first, so that deleting oneself still records who did it until the
// deletion clears the author.
func (h *Handler) userDelete(c echo.Context, r *webctx.Request) error {
	u, err := loadFromPath(c, r, models.UserByID)
	if err != nil {
		return err
	}
	id := u.ID
	db := r.DB
	if err := h.logAction(c, r, models.ActionDeletion, ctUser, id, u.Username, ""); err != nil {
		return err
	}
	if err := models.DeleteUser(db, id); err != nil {
		return err
	}
	return redirectWith(c, r, pathUsers, "success", tr(r).T("The user “%s” was deleted successfully.", u.Username))
}
