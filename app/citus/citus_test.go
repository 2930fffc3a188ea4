package citus_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"polls/app/apptest"
	"polls/app/citus"
)

func TestMain(m *testing.M) { apptest.Main(m) }

// TestDetectOnPlainPostgreSQL: a database without the extension is "no
// Citus", and nothing is refused.
func TestDetectOnPlainPostgreSQL(t *testing.T) {
	info, err := citus.Detect(context.Background(), apptest.DB(t).SQL)
	if err != nil {
		t.Fatal(err)
	}
	if info != (citus.Info{}) {
		t.Errorf("Detect = %+v on a plain PostgreSQL, want the zero Info", info)
	}
	if err := info.CreateRefusal(); err != nil {
		t.Errorf("CreateRefusal = %v without Citus", err)
	}
	if s := info.String(); !strings.Contains(s, "not installed") {
		t.Errorf("log line %q", s)
	}
}

func TestInfo(t *testing.T) {
	tests := []struct {
		info    citus.Info
		refusal error
		line    string
	}{
		{citus.Info{Present: true, Version: "13.2-1", Coordinator: true, Workers: 2, SchemaSharding: true}, nil,
			"citus 13.2-1: coordinator, 2 worker(s), schema-based sharding on"},
		{citus.Info{Present: true, Version: "13.2-1", Coordinator: true, Workers: 2}, citus.ErrShardingOff,
			"citus 13.2-1: coordinator, 2 worker(s), schema-based sharding off"},
		{citus.Info{Present: true, Version: "13.2-1", SchemaSharding: true}, citus.ErrNotCoordinator,
			"citus 13.2-1: not the coordinator, 0 worker(s), schema-based sharding on"},
	}
	for _, tt := range tests {
		if got := tt.info.String(); got != tt.line {
			t.Errorf("%+v: line %q, want %q", tt.info, got, tt.line)
		}
		if got := tt.info.CreateRefusal(); !errors.Is(got, tt.refusal) || (got == nil) != (tt.refusal == nil) {
			t.Errorf("%+v: refusal %v, want %v", tt.info, got, tt.refusal)
		}
	}
}

func TestParseNode(t *testing.T) {
	for in, want := range map[string]citus.Node{"127.0.0.1:57002": {"127.0.0.1", 57002}, "worker-1.internal:5432": {"worker-1.internal", 5432}, "[::1]:5432": {"[::1]", 5432}} {
		if got, err := citus.ParseNode(in); err != nil || got != want {
			t.Errorf("ParseNode(%q) = %v, %v; want %v", in, got, err, want)
		}
		if got, _ := citus.ParseNode(in); got.String() != in {
			t.Errorf("%q printed back as %q", in, got.String())
		}
	}
	for _, bad := range []string{"", "worker", ":5432", "worker:", "worker:port", "worker:0", "worker:65536"} {
		if _, err := citus.ParseNode(bad); err == nil {
			t.Errorf("ParseNode(%q) accepted", bad)
		}
	}
}

func TestStatus(t *testing.T) {
	s := citus.Status{Job: 7, State: "running", Tasks: map[string]int{"done": 1, "runnable": 2, "running": 1}}
	if s.Done() {
		t.Error("a running job is done")
	}
	if got, want := s.String(), "rebalance job 7: running, 1 of 4 moves done (done 1, runnable 2, running 1)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, st := range []string{"finished", "failed", "cancelled"} {
		if !(citus.Status{State: st}).Done() {
			t.Errorf("%s is not done", st)
		}
	}
}
