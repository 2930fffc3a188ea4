package database

import "testing"

func TestNamesExecMode(t *testing.T) {
	tests := []struct {
		conn string
		want bool
	}{
		{"postgres://u@/polls?host=/tmp&port=5432", false},
		{"postgres://u@/polls?host=/tmp&default_query_exec_mode=cache_statement", true},
		{"postgresql://u@h/polls?default_query_exec_mode=simple_protocol", true},
		{"postgres://u:default_query_exec_mode@h/polls", false}, // a password, not a setting
		{"host=/tmp dbname=polls", false},
		{"host=/tmp dbname=polls default_query_exec_mode = exec", true},
	}
	for _, tt := range tests {
		if got := namesExecMode(tt.conn); got != tt.want {
			t.Errorf("namesExecMode(%q) = %v, want %v", tt.conn, got, tt.want)
		}
	}
}

func TestForTransactionPooler(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://u@h/polls", "postgres://u@h/polls?default_query_exec_mode=cache_describe"},
		{"postgres://u@h/polls?sslmode=disable", "postgres://u@h/polls?sslmode=disable&default_query_exec_mode=cache_describe"},
		{"postgres://u@h/polls?default_query_exec_mode=simple_protocol", "postgres://u@h/polls?default_query_exec_mode=simple_protocol"},
		{"host=/tmp dbname=polls", "host=/tmp dbname=polls default_query_exec_mode=cache_describe"},
	}
	for _, tt := range tests {
		if got := ForTransactionPooler(tt.in); got != tt.want {
			t.Errorf("ForTransactionPooler(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	cfg, err := ParseConfig(ForTransactionPooler("postgres://u@h/polls"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DefaultQueryExecMode != PoolerQueryExecMode {
		t.Errorf("ForTransactionPooler's mode parses as %v, want PoolerQueryExecMode (%v)", cfg.DefaultQueryExecMode, PoolerQueryExecMode)
	}
}

func TestParseConfigKeepsOnlyTheCacheItsModeReads(t *testing.T) {
	const base = "postgres://u@localhost/db"
	for _, c := range []struct {
		url                     string
		statements, description int
	}{
		{base, CacheSize, 0},
		{base + "?default_query_exec_mode=exec", 0, 0},
		{base + "?default_query_exec_mode=cache_describe", 0, CacheSize},
		{base + "?statement_cache_capacity=512", 512, 0},
		{base + "?default_query_exec_mode=exec&statement_cache_capacity=64", 64, 0},
	} {
		cfg, err := ParseConfig(c.url)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.StatementCacheCapacity != c.statements || cfg.DescriptionCacheCapacity != c.description {
			t.Errorf("%s: statement cache %d, description cache %d; want %d and %d", c.url,
				cfg.StatementCacheCapacity, cfg.DescriptionCacheCapacity, c.statements, c.description)
		}
	}
}
