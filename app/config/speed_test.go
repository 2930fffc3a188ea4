package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestSpeedSwitches: database.pipeline_scope and database.affinity default
// to on, read true/false (and YAML's on/off), and refuse anything else
// naming the key.
func TestSpeedSwitches(t *testing.T) {
	if d := Default().Database; !d.PipelineScope || !d.Affinity {
		t.Fatalf("defaults: pipeline_scope %v, affinity %v; want both on", d.PipelineScope, d.Affinity)
	}
	load := func(yaml string) (Config, error) {
		path := filepath.Join(t.TempDir(), "config.yaml")
		if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		return Load(path, true, func(string) string { return "" })
	}
	for _, yaml := range []string{"database: {pipeline_scope: false, affinity: false}", "database: {pipeline_scope: off, affinity: off}"} {
		c, err := load(yaml)
		if err != nil || c.Database.PipelineScope || c.Database.Affinity {
			t.Errorf("%s: got %+v, %v; want both off", yaml, c.Database, err)
		}
	}
	for _, yaml := range []string{"database: {affinity: sometimes}", "database: {pipeline_scope: 2}"} {
		_, err := load(yaml)
		var ce *Error
		if !errors.As(err, &ce) {
			t.Errorf("%s: got %v, want a config error", yaml, err)
		}
	}
}
