package dbmigrate_test

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"

	"polls/app/apptest"
	"polls/app/dbmigrate"
	"polls/migrations"
)

func TestMain(m *testing.M) { apptest.Main(m) }

func TestOneFailureDoesNotStopTheOthers(t *testing.T) {
	a, b := apptest.NewTenant(t), apptest.NewTenant(t)
	schemas := []dbmigrate.Target{{Schema: a.Schema}, {Schema: "t_missing_schema"}, {Schema: b.Schema}}
	var reported []string
	sum := dbmigrate.Tenants(context.Background(), apptest.URL(t), schemas, 2, func(done, total int, res dbmigrate.Result, err error) {
		if total != 3 {
			t.Errorf("progress total = %d, want 3", total)
		}
		if err != nil {
			reported = append(reported, res.Schema+":failed")
			return
		}
		reported = append(reported, res.Schema+":ok")
	})
	if sum.Failed != 1 || sum.Current != 2 || sum.Migrated != 0 {
		t.Fatalf("summary = %+v, want 1 failed and 2 already current", sum)
	}
	if len(reported) != 3 {
		t.Fatalf("progress reported %v, want one line per schema", reported)
	}
}

// withExtra is the real tenant migrations plus one more, numbered last.
func withExtra(t *testing.T, sql string) fstest.MapFS {
	fsys := fstest.MapFS{}
	entries, err := fs.ReadDir(migrations.Tenant(), ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(migrations.Tenant(), e.Name())
		if err != nil {
			t.Fatal(err)
		}
		fsys[e.Name()] = &fstest.MapFile{Data: b}
	}
	fsys["999990_extra.up.sql"] = &fstest.MapFile{Data: []byte(sql)}
	return fsys
}

func TestDirtyVersionIsRetriedOnTheNextRun(t *testing.T) {
	tn := apptest.NewTenant(t)
	ctx := context.Background()
	url := apptest.URL(t)
	latest, err := dbmigrate.Latest(migrations.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	failing := withExtra(t, "BEGIN; CREATE TABLE extra (id int); SELECT 1/0; COMMIT;")
	if res, err := dbmigrate.Up(ctx, url, tn.Schema, failing); err == nil {
		t.Fatalf("a failing migration reported success: %+v", res)
	}
	fixed := withExtra(t, "BEGIN; CREATE TABLE extra (id int); COMMIT;")
	res, err := dbmigrate.Up(ctx, url, tn.Schema, fixed)
	if err != nil {
		t.Fatalf("rerun after fixing the migration: %v", err)
	}
	if res.From != latest || res.To != 999990 {
		t.Fatalf("rerun went from %d to %d, want %d to 999990", res.From, res.To, latest)
	}
}
