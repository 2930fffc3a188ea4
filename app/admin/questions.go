package admin

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
)

// dateFilters are the choices of the "By date published" filter, Django's.
var dateFilters = []struct{ value, label string }{
	{"", "Any date"}, {"today", "Today"}, {"past_7_days", "Past 7 days"},
	{"this_month", "This month"}, {"this_year", "This year"},
}

// dateRange turns a date filter into [from, to) in UTC, the admin's time zone;
// an unknown value filters nothing.
func dateRange(filter string, now time.Time) (from, to *time.Time) {
	now = now.UTC()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	var f, t time.Time
	switch filter {
	case "today":
		f, t = today, today.AddDate(0, 0, 1)
	case "past_7_days":
		f, t = today.AddDate(0, 0, -7), today.AddDate(0, 0, 1)
	case "this_month":
		f = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
		t = f.AddDate(0, 1, 0)
	case "this_year":
		f = time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		t = f.AddDate(1, 0, 0)
	default:
		return nil, nil
	}
	return &f, &t
}

// questionList is the questions' change list: search, date filter, sorting,
// pagination, and the bulk delete action.
func (h *Handler) questionList(c echo.Context, r *webctx.Request) error {
	q := listQuery(c.QueryParams())
	b, err := h.page(c, r, "Select question to change", crumbPolls, crumb{Label: "Questions"})
	if err != nil {
		return err
	}
	cols, sorted, desc := sortColumns(q, pathQuestions,
		[]string{"Question text", "Date published", "Published recently?"}, map[int]bool{1: true, 2: true, 3: true})
	mq := models.QuestionQuery{Search: q.get("q"), Desc: desc}
	mq.From, mq.To = dateRange(q.get("pub_date"), h.now())
	switch sorted {
	case 1:
		mq.Order = "question_text"
	case 2, 3: // "published recently" sorts by the date it is computed from
		mq.Order = "pub_date"
	}
	db := r.DB
	want := requestedPage(q)
	mq.Offset, mq.Limit = (want-1)*perPage, perPage
	qs, total, err := models.AdminQuestions(db, mq)
	if err != nil {
		return err
	}
	cur, pages := paginate(q, pathQuestions, total)
	if cur != want { // a page past the end: show the last one
		mq.Offset = (cur - 1) * perPage
		if qs, total, err = models.AdminQuestions(db, mq); err != nil {
			return err
		}
	}

	p := ChangeList{
		Base: b, Heading: "Select question to change",
		AddURL: pathQuestionAdd, AddLabel: "Add question",
		Search: true, Query: q.get("q"), SearchNote: searchNote(tr(r), q.get("q")), Columns: cols, Pages: pages,
		Selectable: true, ActionLabel: "Delete selected questions",
		FormAction: c.Request().URL.RequestURI(), Count: tr(r).T("%d question", total),
	}
	for _, k := range []string{"pub_date", "o"} {
		if v := q.get(k); v != "" {
			p.SearchHints = append(p.SearchHints, HiddenField{k, v})
		}
	}
	group := FilterGroup{Heading: "By date published"}
	for _, f := range dateFilters {
		group.Choices = append(group.Choices, FilterChoice{
			Label: f.label, URL: q.with(pathQuestions, "pub_date", f.value), Selected: q.get("pub_date") == f.value,
		})
	}
	p.Filters = []FilterGroup{group}
	now := h.now()
	for _, qu := range qs {
		p.Rows = append(p.Rows, Row{ID: qu.ID, Cells: []Cell{
			{Text: qu.QuestionText, URL: questionChangeURL(qu.ID)},
			{Text: formatTimeIn(tr(r), qu.PubDate)},
			{IsBool: true, Yes: qu.WasPublishedRecently(now)},
		}})
	}
	return c.Render(http.StatusOK, "admin/change_list", p)
}

func questionChangeURL(id int64) string { return link(pathQuestionChange, id) }
