package admin

import (
	"net/url"
	"strconv"

	"polls/app/i18n"
	"polls/models"
)

// perPage is Django's list_per_page.
const perPage = 100

// ChangeList is the data of admin/change_list: every model's list here, and
// the platform admin's tenants list (app/platformadmin), so that both admins
// look alike and the template has one shape of data to read.
type ChangeList struct {
	Base
	Heading     string // "Select question to change"
	AddURL      string
	AddLabel    string
	Search      bool   // show the search box
	Query       string // the search words
	SearchNote  string // what of the search was left out, if anything
	SearchHints []HiddenField
	Filters     []FilterGroup
	Columns     []Column
	Rows        []Row
	Selectable  bool   // rows have checkboxes and the action bar shows
	ActionLabel string // "Delete selected questions"
	FormAction  string
	Count       string // "5 questions"
	Pages       []PageLink
}

// searchNote tells the reader that a search went past the words the admin
// searches for (models.SearchTerms), or is "".
func searchNote(z i18n.Localizer, q string) string {
	if _, cut := models.SearchTerms(q); cut {
		return z.T("Only the first %d words were searched for, each up to %d characters.",
			models.MaxSearchTerms, models.MaxSearchTermLength)
	}
	return ""
}

// HiddenField is a form field the page carries along unseen.
type HiddenField struct{ Name, Value string }

// FilterGroup is one heading of the sidebar's filters, with its choices.
type FilterGroup struct {
	Heading string
	Choices []FilterChoice
}

// FilterChoice is one filter: the list's URL with it applied.
type FilterChoice struct {
	Label, URL string
	Selected   bool
}

// Column is a list's header.
type Column struct {
	Label   string
	SortURL string // "" for a column that does not sort
	Sorted  bool
	Desc    bool
}

// Row is one object's line of the list.
type Row struct {
	ID    int64
	Cells []Cell
}

// Cell is a text (linked when URL is set) or, when IsBool, a yes/no icon.
type Cell struct {
	Text   string
	URL    string
	IsBool bool
	Yes    bool
}

// PageLink is one link of the pagination; a gap is "…" without a URL.
type PageLink struct {
	Label   string
	URL     string // "" for the current page and for gaps
	Current bool
}

// listQuery is a list's query string: what it searches, filters, sorts and
// which page it shows. Links made from it keep everything but what they change.
type listQuery url.Values

func (q listQuery) get(k string) string { return url.Values(q).Get(k) }

// with returns the list's URL with the given parameters replaced ("" removes
// one); changing anything but the page goes back to page one.
func (q listQuery) with(path string, kv ...string) string {
	v := url.Values{}
	for _, k := range []string{"q", "pub_date", "o", "p"} {
		if s := url.Values(q).Get(k); s != "" {
			v.Set(k, s)
		}
	}
	resetPage := true
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] == "p" {
			resetPage = false
		}
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	if resetPage {
		v.Del("p")
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// sortColumns builds headers whose links sort by their column, Django-style:
// o=N sorts by column N ascending, o=-N descending; clicking the sorted
// column reverses it. sortable says which column numbers (from 1) sort.
func sortColumns(q listQuery, path string, labels []string, sortable map[int]bool) ([]Column, int, bool) {
	o := q.get("o")
	desc := len(o) > 0 && o[0] == '-'
	if desc {
		o = o[1:]
	}
	sorted, err := strconv.Atoi(o)
	if err != nil || !sortable[sorted] {
		sorted, desc = 0, false
	}
	cols := make([]Column, len(labels))
	for i, l := range labels {
		n := i + 1
		cols[i] = Column{Label: l}
		if !sortable[n] {
			continue
		}
		next := strconv.Itoa(n)
		if n == sorted {
			cols[i].Sorted, cols[i].Desc = true, desc
			if !desc {
				next = "-" + next
			}
		}
		cols[i].SortURL = q.with(path, "o", next)
	}
	return cols, sorted, desc
}

// paginate returns the page to show (clamped into range) and the links to
// the pages (PageLinks).
func paginate(q listQuery, path string, total int64) (int, []PageLink) {
	pages := int((total + perPage - 1) / perPage)
	if pages < 1 {
		pages = 1
	}
	cur := min(requestedPage(q), pages)
	return cur, PageLinks(cur, pages, func(n int) string { return q.with(path, "p", strconv.Itoa(n)) })
}

// PageLinks links a list's pages 1 to last, the current one (page) without a
// URL, url making the others': all of them when few, else the first two, the
// last two and those within two of page, with "…" for what lies between.
// None for a list that fits on one page.
func PageLinks(page, last int, url func(n int) string) []PageLink {
	if last <= 1 {
		return nil
	}
	var links []PageLink
	gap := false
	for n := 1; n <= last; n++ {
		if n > 2 && n < last-1 && (n < page-2 || n > page+2) {
			if !gap {
				links = append(links, PageLink{Label: "…"})
				gap = true
			}
			continue
		}
		gap = false
		l := PageLink{Label: strconv.Itoa(n), Current: n == page}
		if !l.Current {
			l.URL = url(n)
		}
		links = append(links, l)
	}
	return links
}

// requestedPage is the page number the query asks for, 1 if none or nonsense.
func requestedPage(q listQuery) int {
	n, err := strconv.Atoi(q.get("p"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 1<<30) // far past any last page, and no overflow in the offset
}
