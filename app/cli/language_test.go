package cli_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
)

func TestTenantLanguageFromCreateToSettenant(t *testing.T) {
	srv := apptest.NewServer(t)
	client := srv.Client(t)
	schema := "t_" + apptest.RandomName(10)
	domain := "lang-" + apptest.RandomName(6) + ".test"
	t.Cleanup(func() {
		_, _ = apptest.DB(t).SQL.Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`)
		_, _ = apptest.DB(t).SQL.Exec(`DELETE FROM public.tenants WHERE schema_name = $1`, schema)
		apptest.DropRole(t, apptest.DB(t).SQL, apptest.Roles(t).For(schema))
	})
	if out, code := run(t, nil, "createtenant", "--schema", schema, "--domain", domain, "--language", "de"); code != 2 ||
		!strings.Contains(out, `unknown language "de" (want one of: en, fr)`) {
		t.Fatalf("createtenant --language de: exit %d, want 2 with the languages named:\n%s", code, out)
	}
	if out, code := run(t, nil, "createtenant", "--schema", schema, "--domain", domain, "--language", "fr"); code != 0 {
		t.Fatalf("createtenant --language fr exited %d:\n%s", code, out)
	}
	if _, body := apptest.Get(t, client, domain, "/polls/"); !strings.Contains(body, `<html lang="fr">`) {
		t.Errorf("a tenant created in French: got %s, want a French page", body)
	}
	out, _ := run(t, nil, "tenants")
	if !strings.Contains(out, schema+"\t"+domain+"\t"+schema+"\t\tfalse\tfr\n") {
		t.Errorf("tenants: got\n%s\nwant %s listed with language fr", out, schema)
	}

	// A clone speaks as its original does, unless told otherwise.
	clone := schema + "_c"
	t.Cleanup(func() {
		_, _ = apptest.DB(t).SQL.Exec(`DROP SCHEMA IF EXISTS "` + clone + `" CASCADE`)
		_, _ = apptest.DB(t).SQL.Exec(`DELETE FROM public.tenants WHERE schema_name = $1`, clone)
		apptest.DropRole(t, apptest.DB(t).SQL, apptest.Roles(t).For(clone))
	})
	if out, code := run(t, nil, "clonetenant", "--from", schema, "--schema", clone, "--domain", "c-"+domain); code != 0 {
		t.Fatalf("clonetenant exited %d:\n%s", code, out)
	}
	if out, _ := run(t, nil, "tenants"); !strings.Contains(out, clone+"\tc-"+domain+"\t"+clone+"\t\tfalse\tfr\n") {
		t.Errorf("tenants: got\n%s\nwant the clone %s listed with its original's language, fr", out, clone)
	}

	out, code := run(t, nil, "settenant", "--schema", schema, "--language", "en", "--languages", "any")
	if code != 0 || !strings.Contains(out, schema+": speaks en (visitors may pick any)\n") {
		t.Fatalf("settenant --language en --languages any: exit %d\n%s", code, out)
	}
	out, _ = run(t, nil, "tenants", "--json")
	if !strings.Contains(out, `"language": "en",`) || !strings.Contains(out, `"languages": "any"`) {
		t.Errorf("tenants --json: got\n%s\nwant language en, languages any", out)
	}
	if out, code := run(t, nil, "settenant", "--schema", schema, "--languages", "some"); code != 2 || !strings.Contains(out, `--languages "some" is not own or any`) {
		t.Errorf("settenant --languages some: exit %d, want 2:\n%s", code, out)
	}
	// Every server follows the change (the registry's notifications).
	req := apptest.NewRequest(t, http.MethodGet, domain, "/polls/", nil)
	req.Header.Set("Accept-Language", "fr")
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, body := apptest.Do(t, client, req)
		if strings.Contains(body, `<html lang="fr">`) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("5s after settenant --languages any, a French visitor still gets %s", body)
		}
		time.Sleep(10 * time.Millisecond) // polling a running server for a change made elsewhere
	}
}

func TestDefaultLanguageFromTheSettings(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte("tenancy: {default_language: fr}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	schema := "t_" + apptest.RandomName(10)
	domain := "dl-" + apptest.RandomName(6) + ".test"
	t.Cleanup(func() {
		_, _ = apptest.DB(t).SQL.Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`)
		_, _ = apptest.DB(t).SQL.Exec(`DELETE FROM public.tenants WHERE schema_name = $1`, schema)
		apptest.DropRole(t, apptest.DB(t).SQL, apptest.Roles(t).For(schema))
	})
	if out, code := run(t, nil, "createtenant", "--config", cfg, "--schema", schema, "--domain", domain); code != 0 {
		t.Fatalf("createtenant exited %d:\n%s", code, out)
	}
	var lang string
	if err := apptest.DB(t).SQL.QueryRow(`SELECT language FROM public.tenants WHERE schema_name = $1`, schema).Scan(&lang); err != nil || lang != "fr" {
		t.Errorf("a tenant created under tenancy.default_language: fr speaks %q (%v), want fr", lang, err)
	}
}
