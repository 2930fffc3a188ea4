package djangoimport

import "testing"

func TestChangeMessage(t *testing.T) {
	for _, tt := range []struct{ stored, want string }{
		{`[{"added": {}}]`, "Added."},
		{`[{"changed": {"fields": ["Question text"]}}]`, "Changed Question text."},
		{`[{"changed": {"fields": ["Question text", "Date published", "Votes"]}}]`, "Changed Question text, Date published and Votes."},
		{`[{"added": {"name": "choice", "object": "Tea"}}, {"changed": {"name": "choice", "object": "Coffee", "fields": ["Votes"]}}]`,
			"Added choice “Tea”. Changed Votes for choice “Coffee”."},
		{`[{"deleted": {"name": "choice", "object": "Tea"}}]`, "Deleted choice “Tea”."},
		{`[]`, "No fields changed."},
		{`Changed question_text.`, "Changed question_text."}, // before Django 1.10: text already
		{``, ``},
		{`[not json`, `[not json`},
	} {
		if got := changeMessage(tt.stored); got != tt.want {
			t.Errorf("changeMessage(%q): got %q, want %q", tt.stored, got, tt.want)
		}
	}
}
