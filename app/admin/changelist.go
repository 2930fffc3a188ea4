package admin

import (
	"net/url"
	"strconv"

	"polls/app/i18n"
	"polls/models"
)

// perPage is Django's list_per_page.
const perPage = 100

// changeList is the data of admin/change_list, shared by every model's list.
type changeList struct {
	base
	Heading     string // "Select question to change"
	AddURL      string
	AddLabel    string
	Search      bool   // show the search box
	Query       string // the search words
	SearchNote  string // what of the search was left out, if anything
	SearchHints []hiddenField
	Filters     []filterGroup
	Columns     []column
	Rows        []row
	Selectable  bool   // rows have checkboxes and the action bar shows
	ActionLabel string // "Delete selected questions"
	FormAction  string
	Count       string // "5 questions"
	Pages       []pageLink
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

type hiddenField struct{ Name, Value string }

type filterGroup struct {
	Heading string
	Choices []filterChoice
}

type filterChoice struct {
	Label, URL string
	Selected   bool
}

type column struct {
	Label   string
	SortURL string // "" for a column that does not sort
	Sorted  bool
	Desc    bool
}

type row struct {
	ID    int64
	Cells []cell
}

// cell is a text (linked when URL is set) or, when IsBool, a yes/no icon.
type cell struct {
	Text   string
	URL    string
	IsBool bool
	Yes    bool
}

type pageLink struct {
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
func sortColumns(q listQuery, path string, labels []string, sortable map[int]bool) ([]column, int, bool) {
	o := q.get("o")
	desc := len(o) > 0 && o[0] == '-'
	if desc {
		o = o[1:]
	}
	sorted, err := strconv.Atoi(o)
	if err != nil || !sortable[sorted] {
		sorted, desc = 0, false
	}
	cols := make([]column, len(labels))
	for i, l := range labels {
		n := i + 1
		cols[i] = column{Label: l}
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

// paginate returns the page to show (clamped into range), its offset, and the
// links to the pages: all of them when few, else the ends and the
// neighbourhood of the current page.
func paginate(q listQuery, path string, total int64) (int, []pageLink) {
	pages := int((total + perPage - 1) / perPage)
	if pages < 1 {
		pages = 1
	}
	cur := min(requestedPage(q), pages)
	if pages == 1 {
		return cur, nil
	}
	var links []pageLink
	gap := false
	for n := 1; n <= pages; n++ {
		if n > 2 && n < pages-1 && (n < cur-2 || n > cur+2) {
			if !gap {
				links = append(links, pageLink{Label: "…"})
				gap = true
			}
			continue
		}
		gap = false
		l := pageLink{Label: strconv.Itoa(n), Current: n == cur}
		if !l.Current {
			l.URL = q.with(path, "p", strconv.Itoa(n))
		}
		links = append(links, l)
	}
	return cur, links
}

// requestedPage is the page number the query asks for, 1 if none or nonsense.
func requestedPage(q listQuery) int {
	n, err := strconv.Atoi(q.get("p"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 1<<30) // far past any last page, and no overflow in the offset
}
