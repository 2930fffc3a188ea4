package cli_test

import (
	"net/http"
	"strings"
	"testing"

	"polls/app/apptest"
)

// TestCloneTenantServesACopy: a clone with its data answers on its own
// domain with the source's polls, at once; refusals are one line and a
// non-zero exit, and leave nothing behind.
func TestCloneTenantServesACopy(t *testing.T) {
	src := apptest.NewTenant(t)
	src.AddQuestion(t, 1, "Cloned question?", "-1 hour", apptest.Choice{ID: 1, Text: "Yes", Votes: 2})
	srv := apptest.NewServer(t)
	schema, domain := "t_"+apptest.RandomName(10), "clone-"+apptest.RandomName(6)+".test"
	t.Cleanup(func() { run(t, nil, "deletetenant", "--schema", schema, "--no-input") })

	out, code := run(t, nil, "clonetenant", "--from", src.Schema, "--schema", schema, "--domain", domain, "--with-data")
	if code != 0 || !strings.Contains(out, "Cloned "+src.Schema+" with its data into tenant") || !strings.Contains(out, domain) {
		t.Fatalf("clonetenant exited %d:\n%s", code, out)
	}
	if status, body := apptest.Get(t, srv.Client(t), domain, "/polls/"); status != http.StatusOK || !strings.Contains(body, "Cloned question?") {
		t.Fatalf("the clone's index: %d, want the source's question:\n%s", status, body)
	}

	for _, tt := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"clonetenant", "--schema", "t_x", "--domain", "x.test"}, 2, "needs --from"},
		{[]string{"clonetenant", "--from", src.Schema, "--schema", "Bad-Name", "--domain", "x.test"}, 2, "invalid"},
		{[]string{"clonetenant", "--from", "t_nobody", "--schema", "t_" + apptest.RandomName(8), "--domain", "y-" + apptest.RandomName(6) + ".test"}, 1, "no such tenant"},
		{[]string{"clonetenant", "--from", src.Schema, "--schema", "t_" + apptest.RandomName(8), "--domain", domain}, 1, domain},
	} {
		out, code := run(t, nil, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.says) || strings.Count(strings.TrimSpace(out), "\n") > 0 && tt.code == 1 {
			t.Errorf("polls %s: exit %d, %q; want exit %d and one line saying %q", strings.Join(tt.args, " "), code, out, tt.code, tt.says)
		}
	}
	if out, code := run(t, nil, "clonetenant", "--help"); code != 0 || !strings.Contains(out, "--with-data") || !strings.Contains(out, "usage: polls clonetenant --from SCHEMA") {
		t.Errorf("clonetenant --help: exit %d:\n%s", code, out)
	}
}
