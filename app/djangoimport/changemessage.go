package djangoimport

import (
	"encoding/json"
	"strings"
)

// changeMessage turns Django's admin log change message into the sentence
// polls stores. Django 1.10 and later store JSON
// ([{"changed": {"fields": ["Question text"]}}]) and render it when shown;
// polls stores the rendered text ("Changed Question text."). Older entries
// are text already and stay as they are.
func changeMessage(stored string) string {
	var parts []map[string]struct {
		Fields []string `json:"fields"`
		Name   string   `json:"name"`
		Object string   `json:"object"`
	}
	if !strings.HasPrefix(stored, "[") || json.Unmarshal([]byte(stored), &parts) != nil {
		return stored
	}
	var out []string
	for _, p := range parts {
		for _, verb := range []string{"added", "changed", "deleted"} {
			d, ok := p[verb]
			if !ok {
				continue
			}
			s := strings.ToUpper(verb[:1]) + verb[1:]
			if len(d.Fields) > 0 {
				s += " " + textList(d.Fields)
				if d.Name != "" {
					s += " for"
				}
			}
			if d.Name != "" {
				s += " " + d.Name + " “" + d.Object + "”"
			}
			out = append(out, s+".")
		}
	}
	if len(out) == 0 {
		return "No fields changed."
	}
	return strings.Join(out, " ")
}

// textList writes "a, b and c", as Django's get_text_list.
func textList(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
