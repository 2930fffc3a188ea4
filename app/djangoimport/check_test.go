package djangoimport

import (
	"slices"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	long := strings.Repeat("é", 201)
	snap := &Snapshot{
		Questions: []Question{{ID: 1, Text: "fine"}, {ID: 2, Text: ""}, {ID: 3, Text: long}},
		Choices:   []Choice{{ID: 4, Text: strings.Repeat("x", 200)}, {ID: 5, Text: long}},
		Users: []User{
			{ID: 6, Username: "ok", Password: "pbkdf2_sha256$1$s$h", FirstName: "Ada"},
			{ID: 7, Username: "", Password: "!x"},
			{ID: 8, Username: "mail", Email: strings.Repeat("m", 255), Password: "md5$s$h"},
		},
		Actions: []Action{{ID: 9, ActionFlag: 2}, {ID: 10, ActionFlag: 4}},
	}
	snap.check()
	wantProblems := []string{
		"the text of question 2 is empty, which polls refuses",
		"the text of question 3 is 201 characters long; polls takes at most 200",
		"the text of choice 5 is 201 characters long; polls takes at most 200",
		"the username of user 7 is empty, which polls refuses",
		"the email of user 8 is 255 characters long; polls takes at most 254",
		"admin log entry 10 has action flag 4; Django's are 1, 2 and 3",
	}
	if !slices.Equal(snap.Problems, wantProblems) {
		t.Errorf("problems:\ngot  %q\nwant %q", snap.Problems, wantProblems)
	}
	wantNotes := []string{
		"2 users have no password polls can verify, and cannot log in until a superuser sets one:  (unusable), mail (md5)",
	}
	if !slices.Equal(snap.Notes, wantNotes) {
		t.Errorf("notes:\ngot  %q\nwant %q", snap.Notes, wantNotes)
	}
}
