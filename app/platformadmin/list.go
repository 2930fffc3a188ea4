package platformadmin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"polls/app/admin"
	"polls/app/citus"
	"polls/app/tenant"
	"polls/app/webctx"
	"polls/views"
)

// perPage is Django's list_per_page.
const perPage = 100

// listParams are the query parameters the list keeps from link to link.
var listParams = []string{"q", "state", "on_trial", "plan", "o"}

// tenantList is /admin/tenants/: search (q), filters (state, on_trial,
// plan), sorting (o, "-" for descending) and pages (p, from 1), all done
// in SQL. Values it does not know are ignored, as a filter that matches
// everything.
func (h *Handler) tenantList(c echo.Context, r *webctx.Request) error {
	in := c.QueryParams()
	q := tenant.ListQuery{Search: in.Get("q"), Needs: h.needs, Today: h.now(), Limit: perPage}
	for _, s := range tenant.States {
		if in.Get("state") == s {
			q.State = s
		}
	}
	if v, err := strconv.ParseBool(in.Get("on_trial")); err == nil {
		q.OnTrial = &v
	}
	switch p := in.Get("plan"); p {
	case tenant.PlanPaid, tenant.PlanExpired, tenant.PlanNoEnd:
		q.Plan = p
	}
	if _, ok := tenant.ListSorts[strings.TrimPrefix(in.Get("o"), "-")]; ok {
		q.Sort = in.Get("o")
	}
	page, _ := strconv.Atoi(in.Get("p"))
	page = max(page, 1)
	q.Offset = (page - 1) * perPage
	ctx := r.DB.Statement.Context
	rows, total, err := tenant.ListPage(ctx, r.DB.Statement.ConnPool, q)
	if err != nil {
		return err
	}
	last := max((total+perPage-1)/perPage, 1)
	if page > last { // past the end (tenants deleted meanwhile): the last page
		page, q.Offset = last, (last-1)*perPage
		if rows, total, err = tenant.ListPage(ctx, r.DB.Statement.ConnPool, q); err != nil {
			return err
		}
	}
	b, err := h.admin.Page(c, r, "Select tenant to change", admin.Crumb{Label: "Tenants"})
	if err != nil {
		return err
	}
	cur := keep(in)
	p := admin.ChangeList{Base: b, Heading: "Select tenant to change", AddURL: pathTenantAdd, AddLabel: "Add tenant", Search: true, Query: q.Search,
		Count: fmt.Sprintf("%d %s", total, views.Plural(int64(total), "tenant", "tenants")), FormAction: pathTenants}
	for _, k := range listParams {
		if k != "q" && cur.Get(k) != "" {
			p.SearchHints = append(p.SearchHints, admin.HiddenField{Name: k, Value: cur.Get(k)})
		}
	}
	nodes, err := pageNodes(ctx, r.DB.Statement.ConnPool, rows)
	if err != nil {
		return err
	}
	p.Filters = filters(cur)
	p.Columns = columns(cur, q.Sort, nodes != nil)
	for _, t := range rows {
		p.Rows = append(p.Rows, listRow(t, nodes))
	}
	p.Pages = pages(cur, page, last)
	return c.Render(http.StatusOK, "admin/change_list", p)
}

// keep is the list's own parameters of in, the page left out.
func keep(in url.Values) url.Values {
	out := url.Values{}
	for _, k := range listParams {
		if v := in.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	return out
}

// with is the list's URL for cur with key set to value ("" removes it).
func with(cur url.Values, key, value string) string {
	next := url.Values{}
	for k, v := range cur {
		next[k] = v
	}
	if value == "" {
		next.Del(key)
	} else {
		next.Set(key, value)
	}
	if len(next) == 0 {
		return pathTenants
	}
	return pathTenants + "?" + next.Encode()
}

// filters are the sidebar's choices, each keeping the other parameters.
func filters(cur url.Values) []admin.FilterGroup {
	group := func(title, key string, choices [][2]string) admin.FilterGroup {
		g := admin.FilterGroup{Heading: title}
		g.Choices = append(g.Choices, admin.FilterChoice{Label: "All", URL: with(cur, key, ""), Selected: cur.Get(key) == ""})
		for _, ch := range choices {
			g.Choices = append(g.Choices, admin.FilterChoice{Label: ch[1], URL: with(cur, key, ch[0]), Selected: cur.Get(key) == ch[0]})
		}
		return g
	}
	var states [][2]string
	for _, s := range tenant.States {
		states = append(states, [2]string{s, s})
	}
	return []admin.FilterGroup{
		group("By state", "state", states),
		group("By on trial", "on_trial", [][2]string{{"true", "Yes"}, {"false", "No"}}),
		group("By plan", "plan", [][2]string{{tenant.PlanPaid, "Paid until today or later"},
			{tenant.PlanExpired, "Paid until a past day"}, {tenant.PlanNoEnd, "No end date"}}),
	}
}

// pageNodes is the worker each tenant of rows lives on when the database is
// a Citus coordinator ("" for one not distributed), nil otherwise: then the
// list has no node column.
func pageNodes(ctx context.Context, db citus.Querier, rows []tenant.Listed) (map[string]string, error) {
	info, err := citus.Detect(ctx, db)
	if err != nil || !info.Coordinator {
		return nil, err
	}
	schemas := make([]string, len(rows))
	for i, t := range rows {
		schemas[i] = t.Schema
	}
	found, err := citus.NodesOf(ctx, db, schemas)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(found))
	for s, n := range found {
		out[s] = n.String()
	}
	return out, nil
}

// columns are the list's headers; a click sorts by the column, a second
// one the other way. withNode adds the Citus worker's.
func columns(cur url.Values, sort string, withNode bool) []admin.Column {
	if sort == "" {
		sort = "schema"
	}
	cols := []struct{ label, key string }{
		{"Schema", "schema"}, {"Domains", ""}, {"Name", "name"}, {"Paid until", "paid_until"},
		{"On trial", "on_trial"}, {"State", "state"}, {"Schema version", "version"}, {"Size on disk", ""}, {"Created", "created"},
	}
	if withNode {
		cols = append(cols, struct{ label, key string }{"Node", ""})
	}
	out := make([]admin.Column, 0, len(cols))
	for _, c := range cols {
		col := admin.Column{Label: c.label}
		if c.key != "" {
			col.Sorted, col.Desc = strings.TrimPrefix(sort, "-") == c.key, sort == "-"+c.key
			next := c.key
			if sort == c.key {
				next = "-" + c.key
			}
			col.SortURL = with(cur, "o", next)
		}
		out = append(out, col)
	}
	return out
}

// listRow is one tenant's line; nodes, when not nil, adds its Citus worker.
func listRow(t tenant.Listed, nodes map[string]string) admin.Row {
	var domains []string
	for _, d := range t.Domains {
		domains = append(domains, d.Name)
	}
	version := "not recorded"
	if t.Version > 0 {
		version = strconv.FormatInt(t.Version, 10)
	}
	r := admin.Row{ID: t.ID, Cells: []admin.Cell{
		{Text: t.Schema, URL: tenantURL(pathTenant, t.Schema)},
		{Text: strings.Join(domains, ", ")},
		{Text: t.Name},
		{Text: paidUntil(t.PaidUntil)},
		{IsBool: true, Yes: t.OnTrial},
		{Text: t.State},
		{Text: version},
		{Text: humanSize(t.Size)},
		{Text: admin.FormatTime(t.CreatedAt)},
	}}
	if nodes != nil {
		r.Cells = append(r.Cells, admin.Cell{Text: nodes[t.Schema]})
	}
	return r
}

// pages links the list's pages as the tenant admin's lists do.
func pages(cur url.Values, page, last int) []admin.PageLink {
	return admin.PageLinks(page, last, func(n int) string { return with(cur, "p", strconv.Itoa(n)) })
}

// paidUntil shows a plan's last paid day.
func paidUntil(d *time.Time) string {
	if d == nil {
		return "no end date"
	}
	return d.Format(time.DateOnly)
}

// humanSize is a size in bytes as people read it.
func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTPE"[exp])
}
