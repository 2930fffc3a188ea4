package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestObservabilityKeysAreValidatedByName(t *testing.T) {
	for _, tt := range []struct {
		yaml, key string
	}{
		{"log: {requests: some}", "log.requests"},
		{"log: {requests: sample}", "log.requests"},
		{"log: {requests: 'sample:'}", "log.requests"},
		{"log: {requests: 'sample:0'}", "log.requests"},
		{"log: {requests: 'sample:-3'}", "log.requests"},
		{"log: {requests: 'sample:ten'}", "log.requests"},
		{"log: {requests: ALL}", "log.requests"},
		{"server: {metrics_addr: '9090'}", "server.metrics_addr"},
		{"server: {metrics_addr: 'localhost:'}", "server.metrics_addr"},
		{"addr: 127.0.0.1:8080\nserver: {metrics_addr: 127.0.0.1:8080}", "server.metrics_addr"},
	} {
		path := filepath.Join(t.TempDir(), "config.yaml")
		if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path, true, func(string) string { return "" })
		var ce *Error
		if !errors.As(err, &ce) || ce.Key != tt.key {
			t.Errorf("%s: got %v, want an error naming %s", tt.yaml, err, tt.key)
		}
	}
}

func TestObservabilityKeysAccepted(t *testing.T) {
	for _, tt := range []struct {
		yaml    string
		want    RequestLog
		metrics string
	}{
		{"log: {requests: all}", RequestLog{Mode: LogAllRequests}, ""},
		{"log: {requests: errors}", RequestLog{Mode: LogErrorRequests}, ""},
		{"log: {requests: 'off'}", RequestLog{Mode: LogNoRequests}, ""},
		{"log: {requests: 'sample:1'}", RequestLog{Mode: LogSampledRequests, Every: 1}, ""},
		{"log: {requests: 'sample:250'}\nserver: {metrics_addr: ':9090'}", RequestLog{Mode: LogSampledRequests, Every: 250}, ":9090"},
	} {
		path := filepath.Join(t.TempDir(), "config.yaml")
		if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path, true, func(string) string { return "" })
		if err != nil {
			t.Errorf("%s: %v", tt.yaml, err)
			continue
		}
		if c.RequestLog() != tt.want || c.Server.MetricsAddr != tt.metrics {
			t.Errorf("%s: got %+v and %q, want %+v and %q", tt.yaml, c.RequestLog(), c.Server.MetricsAddr, tt.want, tt.metrics)
		}
	}
	d := Default()
	if d.RequestLog() != (RequestLog{Mode: LogAllRequests}) || d.Server.MetricsAddr != "" {
		t.Errorf("defaults: got %+v and %q, want every request logged and no metrics", d.RequestLog(), d.Server.MetricsAddr)
	}
}
