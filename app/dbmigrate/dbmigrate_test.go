package dbmigrate_test

import (
	"context"
	"testing"
	"testing/fstest"

	"polls/app/apptest"
	"polls/app/dbmigrate"
)

func TestMain(m *testing.M) { apptest.Main(m) }

func TestOneFailureDoesNotStopTheOthers(t *testing.T) {
	a, b := apptest.NewTenant(t), apptest.NewTenant(t)
	schemas := []string{a.Schema, "t_missing_schema", b.Schema}
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

func TestDirtyVersionIsRetriedOnTheNextRun(t *testing.T) {
	tn := apptest.NewTenant(t)
	ctx := context.Background()
	url := apptest.URL(t)
	failing := fstest.MapFS{
		"000001_create_polls.up.sql": {Data: []byte("SELECT 1")}, // already applied by NewTenant
		"000002_add.up.sql":          {Data: []byte("BEGIN; CREATE TABLE extra (id int); SELECT 1/0; COMMIT;")},
	}
	if _, err := dbmigrate.Up(ctx, url, tn.Schema, failing); err == nil {
		t.Fatal("a failing migration reported success")
	}
	fixed := fstest.MapFS{
		"000001_create_polls.up.sql": {Data: []byte("SELECT 1")},
		"000002_add.up.sql":          {Data: []byte("BEGIN; CREATE TABLE extra (id int); COMMIT;")},
	}
	res, err := dbmigrate.Up(ctx, url, tn.Schema, fixed)
	if err != nil {
		t.Fatalf("rerun after fixing the migration: %v", err)
	}
	if res.From != 1 || res.To != 2 {
		t.Fatalf("rerun went from %d to %d, want 1 to 2", res.From, res.To)
	}
}
