package apptest

import (
	"html"
	"regexp"
	"strings"
)

var (
	htmlTag  = regexp.MustCompile(`<[^>]*>`)
	listItem = regexp.MustCompile(`(?s)<li(?:\s[^>]*)?>(.*?)</li>`)
)

// Visible is an HTML fragment's text as a reader sees it: tags dropped,
// entities decoded, white space collapsed.
func Visible(fragment string) string {
	return strings.Join(strings.Fields(html.UnescapeString(htmlTag.ReplaceAllString(fragment, " "))), " ")
}

// ListItems returns the visible text of every <li> of a page.
func ListItems(body string) []string {
	var out []string
	for _, m := range listItem.FindAllStringSubmatch(body, -1) {
		out = append(out, Visible(m[1]))
	}
	return out
}
