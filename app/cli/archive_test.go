package cli_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"polls/app/apptest"
	"polls/app/tenant"
)

const archivePassword = "round trip horse battery"

// csrfRe finds the per-browser CSRF token in a page, the one part of a page
// that differs between two browsers.
var csrfRe = regexp.MustCompile(`name="csrfmiddlewaretoken" value="[^"]*"`)

// archivedSite fills a tenant with what an archive must carry: questions,
// choices with votes, a superuser made by createsuperuser, an admin log entry.
func archivedSite(t *testing.T) apptest.Tenant {
	t.Helper()
	tn := apptest.NewTenant(t)
	tn.AddQuestion(t, 1, "What's new?", "-1 hour",
		apptest.Choice{ID: 1, Text: "Not much", Votes: 3}, apptest.Choice{ID: 2, Text: "The sky, \"again\"", Votes: 5})
	tn.AddQuestion(t, 2, "Tea,\nor coffee?", "-2 hours", apptest.Choice{ID: 3, Text: "Tea", Votes: 0})
	tn.Exec(t, `SELECT setval('polls_question_id_seq', 2), setval('polls_choice_id_seq', 3)`) // as if typed in the admin
	if out, code := run(t, map[string]string{"POLLS_SUPERUSER_PASSWORD": archivePassword},
		"createsuperuser", "--no-input", "--tenant", tn.Schema, "--username", "boss", "--email", "boss@example.com"); code != 0 {
		t.Fatalf("createsuperuser exited %d:\n%s", code, out)
	}
	tn.Exec(t, `INSERT INTO django_admin_log (user_id, content_type, object_id, object_repr, action_flag, change_message)
		SELECT id, 'polls.question', '1', 'What''s new?', 2, 'Changed question_text.' FROM auth_user WHERE username = 'boss'`)
	return tn
}

// visit renders the public pages and the admin index after a login on a
// fresh browser; it returns them, CSRF tokens blanked, and the browser.
func visit(t *testing.T, srv *apptest.Server, domain string) ([]string, *http.Client) {
	t.Helper()
	c := srv.Client(t)
	var pages []string
	for _, path := range []string{"/polls/", "/polls/1/", "/polls/1/results/", "/polls/2/"} {
		status, body := apptest.Get(t, c, domain, path)
		if status != http.StatusOK {
			t.Fatalf("GET %s%s: %d", domain, path, status)
		}
		pages = append(pages, body)
	}
	form := url.Values{"csrfmiddlewaretoken": {apptest.CSRF(t, c, domain, "/admin/login/")},
		"username": {"boss"}, "password": {archivePassword}}
	resp, body := apptest.Post(t, c, domain, "/admin/login/", form)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/" {
		t.Fatalf("admin login on %s: %d to %q:\n%s", domain, resp.StatusCode, resp.Header.Get("Location"), body)
	}
	status, admin := apptest.Get(t, c, domain, "/admin/")
	if status != http.StatusOK || !strings.Contains(admin, "What&#39;s new?") {
		t.Fatalf("admin index on %s: %d, or without the recent action:\n%s", domain, status, admin)
	}
	pages = append(pages, admin)
	for i := range pages {
		pages[i] = csrfRe.ReplaceAllString(pages[i], "")
	}
	return pages, c
}

func samePages(t *testing.T, what string, got, want []string) {
	t.Helper()
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s: page %d differs:\n--- before\n%s\n--- after\n%s", what, i, want[i], got[i])
		}
	}
}

// dropAfter removes a tenant a test imports, whatever happens.
func dropAfter(t *testing.T, schema string) {
	t.Cleanup(func() {
		db := apptest.DB(t).SQL
		db.Exec(`DROP SCHEMA IF EXISTS ` + pgx.Identifier{schema}.Sanitize() + ` CASCADE`)
		db.Exec(`DELETE FROM public.tenants WHERE schema_name = $1`, schema)
	})
}

// TestExportDeleteImportRoundTrip: a tenant exported, deleted and imported
// under its own name serves the same pages, its superuser logs in with the
// same password and its sessions still hold; imported under another name it
// serves them too, and new rows get ids after the imported ones.
func TestExportDeleteImportRoundTrip(t *testing.T) {
	tn := archivedSite(t)
	srv := apptest.NewServer(t)
	before, browser := visit(t, srv, tn.Domain)
	file := filepath.Join(t.TempDir(), "site.archive")

	out, code := run(t, nil, "exporttenant", "--schema", tn.Schema, "--out", file)
	if code != 0 || !strings.Contains(out, "polls_choice") || !strings.Contains(out, "3 rows") {
		t.Fatalf("exporttenant exited %d:\n%s", code, out)
	}
	if out, code := run(t, nil, "exporttenant", "--schema", tn.Schema, "--out", file); code == 0 || !strings.Contains(out, "already exists") {
		t.Fatalf("exporttenant over an existing file exited %d:\n%s", code, out)
	}
	if out, code := run(t, nil, "deletetenant", "--schema", tn.Schema, "--no-input"); code != 0 {
		t.Fatalf("deletetenant exited %d:\n%s", code, out)
	}
	eventually(t, "the deleted tenant is still served", func() bool {
		status, _ := apptest.Get(t, srv.Client(t), tn.Domain, "/polls/")
		return status == http.StatusNotFound
	})

	out, code = run(t, nil, "importtenant", "--file", file, "--schema", tn.Schema, "--domain", tn.Domain)
	if code != 0 || !strings.Contains(out, "Imported '"+tn.Schema+"' as '"+tn.Schema+"'") {
		t.Fatalf("importtenant exited %d:\n%s", code, out)
	}
	eventually(t, "the imported tenant is not served", func() bool {
		status, _ := apptest.Get(t, srv.Client(t), tn.Domain, "/polls/")
		return status == http.StatusOK
	})
	after, _ := visit(t, srv, tn.Domain)
	samePages(t, "same schema and domain", after, before)
	if status, body := apptest.Get(t, browser, tn.Domain, "/admin/"); status != http.StatusOK || !strings.Contains(body, "boss") {
		t.Errorf("the session from before the export: %d, want the admin index still logged in", status)
	}

	other := "o_" + apptest.RandomName(8)
	otherDomain := strings.ReplaceAll(other, "_", "-") + ".test"
	dropAfter(t, other)
	out, code = run(t, nil, "importtenant", "--file", file, "--schema", other, "--domain", otherDomain)
	if code != 0 || !strings.Contains(out, "also answered on "+tn.Domain) {
		t.Fatalf("importtenant under another name exited %d:\n%s", code, out)
	}
	eventually(t, "the second import is not served", func() bool {
		status, _ := apptest.Get(t, srv.Client(t), otherDomain, "/polls/")
		return status == http.StatusOK
	})
	elsewhere, _ := visit(t, srv, otherDomain)
	samePages(t, "another schema and domain", elsewhere, before)
	copyOf := apptest.Tenant{Schema: other}
	var question, choice, user int64
	copyOf.Scan(t, &question, `INSERT INTO polls_question (question_text, pub_date) VALUES ('New', now()) RETURNING id`)
	copyOf.Scan(t, &choice, `INSERT INTO polls_choice (question_id, choice_text) VALUES (?, 'Yes') RETURNING id`, question)
	copyOf.Scan(t, &user, `INSERT INTO auth_user (username, password) VALUES ('new', 'x') RETURNING id`)
	if question != 3 || choice != 4 || user != 2 {
		t.Errorf("new rows got ids question %d, choice %d, user %d; want 3, 4, 2 (after the imported ones)", question, choice, user)
	}
}

// craft writes an archive by hand: manifest m and the data files given.
func craft(t *testing.T, m map[string]any, files map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	add := func(name string, body []byte) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(body)
	}
	manifest, _ := json.Marshal(m)
	add("manifest.json", manifest)
	for _, name := range []string{"data/polls_question.csv", "data/polls_choice.csv"} {
		if body, ok := files[name]; ok {
			add(name, []byte(body))
		}
	}
	tw.Close()
	gz.Close()
	path := filepath.Join(t.TempDir(), "crafted.tar.gz")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// versionOne is an archive of a tenant at tenant migration 1 (polls tables
// only), with questionColumns as polls_question's columns.
func versionOne(t *testing.T, schemaVersion int, questionColumns ...string) string {
	t.Helper()
	header := strings.Join(questionColumns, ",")
	row := "7,Old question?,2020-01-02 03:04:05+00"
	for range questionColumns[3:] {
		row += ",x"
	}
	return craft(t, map[string]any{
		"format": "polls-tenant-archive", "format_version": 1, "schema_version": schemaVersion,
		"exported_at": "2020-01-02T03:04:05Z",
		"tenant":      map[string]any{"schema": "old", "name": "Old site", "paid_until": nil, "on_trial": true, "suspended": false, "domains": []any{}},
		"tables": []any{
			map[string]any{"name": "polls_question", "columns": questionColumns, "rows": 1, "file": "data/polls_question.csv"},
			map[string]any{"name": "polls_choice", "columns": []string{"id", "question_id", "choice_text", "votes"}, "rows": 1, "file": "data/polls_choice.csv"},
		},
		"sequences": []any{map[string]any{"name": "polls_question_id_seq", "last_value": 7, "is_called": true}},
	}, map[string]string{
		"data/polls_question.csv": header + "\n" + row + "\n",
		"data/polls_choice.csv":   "id,question_id,choice_text,votes\n9,7,Yes,4\n",
	})
}

// TestImportAnArchiveOfAnEarlierVersion: rows archived at tenant version 1
// are loaded there, and the tenant ends at the latest version with them.
func TestImportAnArchiveOfAnEarlierVersion(t *testing.T) {
	file := versionOne(t, 1, "id", "question_text", "pub_date")
	schema := "v_" + apptest.RandomName(8)
	dropAfter(t, schema)
	out, code := run(t, nil, "importtenant", "--file", file, "--schema", schema, "--domain", strings.ReplaceAll(schema, "_", "-")+".example")
	if code != 0 || !strings.Contains(out, "archived at tenant version 1") {
		t.Fatalf("importtenant exited %d:\n%s", code, out)
	}
	tn := apptest.Tenant{Schema: schema}
	var version, votes, users int64
	tn.Scan(t, &version, `SELECT version FROM schema_migrations`)
	tn.Scan(t, &votes, `SELECT votes FROM polls_choice WHERE id = 9 AND question_id = 7`)
	tn.Scan(t, &users, `SELECT count(*) FROM auth_user`)
	if version != int64(latest(t)) || votes != 4 || users != 0 {
		t.Fatalf("after import: version %d, votes %d, users %d; want %d, 4, 0", version, votes, users, latest(t))
	}
	var name string
	var trial bool
	if err := apptest.DB(t).SQL.QueryRow(`SELECT name, on_trial FROM public.tenants WHERE schema_name = $1`, schema).Scan(&name, &trial); err != nil ||
		name != "Old site" || !trial {
		t.Fatalf("registry after import: %q, on trial %v (%v); want the archived name and standing", name, trial, err)
	}
}

// TestImportRefusals: each bad archive, or a taken name, is refused in one
// line with a non-zero exit, and leaves no schema and no registry row.
func TestImportRefusals(t *testing.T) {
	taken := apptest.NewTenant(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.tar.gz")
	if out, code := run(t, nil, "exporttenant", "--schema", taken.Schema, "--out", good); code != 0 {
		t.Fatalf("exporttenant exited %d:\n%s", code, out)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flipped := bytes.Clone(data)
	flipped[len(flipped)/2] ^= 0xff
	for _, tt := range []struct {
		what, file, schema, domain, says string
	}{
		{"a truncated archive", write("truncated.tar.gz", data[:len(data)-40]), "", "", "damaged"},
		{"a corrupted archive", write("flipped.tar.gz", flipped), "", "", "archive "},
		{"a text file", write("notes.txt", []byte("hello\n")), "", "", "not a polls tenant archive"},
		{"a newer tenant version", versionOne(t, 99, "id", "question_text", "pub_date"), "", "", fmt.Sprintf("archive is at tenant version 99, this polls knows up to %d: upgrade polls", latest(t))},
		{"an unknown column", versionOne(t, 1, "id", "question_text", "pub_date", "colour"), "", "", "has column colour, which tenant version 1 does not have"},
		{"a taken schema", good, taken.Schema, "", "already exists"},
		{"a taken domain", good, "", taken.Domain, "already used"},
	} {
		schema, domain := tt.schema, tt.domain
		if schema == "" {
			schema = "r_" + apptest.RandomName(8)
		}
		if domain == "" {
			domain = strings.ReplaceAll(schema, "_", "-") + ".example"
		}
		out, code := run(t, nil, "importtenant", "--file", tt.file, "--schema", schema, "--domain", domain)
		t.Logf("%s: %s", tt.what, strings.TrimSpace(out))
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code == 0 || !strings.Contains(out, tt.says) || len(lines) != 1 {
			t.Errorf("importing %s: exit %d, %q; want one line saying %q", tt.what, code, out, tt.says)
		}
		if schema == taken.Schema {
			continue
		}
		var schemas, rows int
		db := apptest.DB(t).SQL
		db.QueryRow(`SELECT count(*) FROM pg_namespace WHERE nspname = $1`, schema).Scan(&schemas)
		db.QueryRow(`SELECT count(*) FROM public.tenants t LEFT JOIN public.domains d ON d.tenant_id = t.id
			WHERE t.schema_name = $1 OR (d.domain = $2 AND t.schema_name <> $3)`, schema, domain, taken.Schema).Scan(&rows)
		if schemas != 0 || rows != 0 {
			t.Errorf("importing %s left %d schemas and %d registry rows", tt.what, schemas, rows)
		}
	}
}

// TestDeleteTenantWithArchive: the archive is written, then the tenant is
// deleted; a path that cannot be written deletes nothing.
func TestDeleteTenantWithArchive(t *testing.T) {
	tn := apptest.NewTenant(t)
	tn.AddQuestion(t, 1, "Kept?", "-1 hour", apptest.Choice{ID: 1, Text: "Yes", Votes: 2})
	out, code := run(t, nil, "deletetenant", "--schema", tn.Schema, "--archive", "/no/such/dir/a.tar.gz", "--no-input")
	if code == 0 || !strings.Contains(out, "cannot write") {
		t.Fatalf("deletetenant to an unwritable path: exit %d:\n%s", code, out)
	}
	if _, err := tenant.Find(t.Context(), apptest.DB(t).SQL, tn.Schema); err != nil {
		t.Fatalf("after a refused archive the tenant is gone: %v", err)
	}
	file := filepath.Join(t.TempDir(), "last.tar.gz")
	out, code = run(t, nil, "deletetenant", "--schema", tn.Schema, "--archive", file, "--no-input")
	if code != 0 || !strings.Contains(out, "to "+file) || !strings.Contains(out, "Deleted '"+tn.Schema+"'") {
		t.Fatalf("deletetenant --archive exited %d:\n%s", code, out)
	}
	a, err := tenant.OpenArchive(file)
	if err != nil {
		t.Fatal(err)
	}
	if a.Manifest.Tenant.Schema != tn.Schema || a.Manifest.SchemaVersion != uint(latest(t)) {
		t.Fatalf("the archive holds %s at version %d", a.Manifest.Tenant.Schema, a.Manifest.SchemaVersion)
	}
	if _, err := tenant.Find(t.Context(), apptest.DB(t).SQL, tn.Schema); err == nil {
		t.Fatal("the tenant is still there after deletetenant --archive")
	}
}

// TestExportFailingMidwayLeavesNoFile: a table the tenant's role may not
// read fails the export after other tables were copied; no file is left.
func TestExportFailingMidwayLeavesNoFile(t *testing.T) {
	tn := apptest.NewTenant(t)
	tn.AddQuestion(t, 1, "Q?", "-1 hour", apptest.Choice{ID: 1, Text: "A", Votes: 1})
	if _, err := apptest.DB(t).SQL.Exec(`REVOKE SELECT ON ` + pgx.Identifier{tn.Schema, "polls_choice"}.Sanitize() +
		` FROM ` + pgx.Identifier{tn.Role}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "failed.tar.gz")
	out, code := run(t, nil, "exporttenant", "--schema", tn.Schema, "--out", file)
	if code == 0 || !strings.Contains(out, "polls_choice") {
		t.Fatalf("exporttenant of an unreadable table: exit %d:\n%s", code, out)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("a failed export left %v", left)
	}
	out, code = run(t, nil, "deletetenant", "--schema", tn.Schema, "--archive", file, "--no-input")
	if code == 0 || !strings.Contains(out, "nothing was deleted") {
		t.Fatalf("deletetenant whose archive fails: exit %d:\n%s", code, out)
	}
	if _, err := tenant.Find(t.Context(), apptest.DB(t).SQL, tn.Schema); err != nil {
		t.Fatalf("after a failed archive the tenant is not served again: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("a failed deletetenant --archive left %v", left)
	}
}
