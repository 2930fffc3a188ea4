package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestConfigYAMLIsTheDefaults: the shipped config.yaml documents exactly the
// built-in defaults, so editing one without the other fails.
func TestConfigYAMLIsTheDefaults(t *testing.T) {
	got, err := Load(filepath.Join("..", "..", "config.yaml"), true, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, Default()) {
		t.Fatalf("config.yaml gives %+v, the defaults are %+v", got, Default())
	}
}

func TestLimitsAreValidatedByName(t *testing.T) {
	for _, tt := range []struct {
		yaml, key string
	}{
		{"server: {request_timeout: 10ms}", "server.request_timeout"},
		{"server: {max_conns_per_client: -1}", "server.max_conns_per_client"},
		{"tenancy: {max_conns_per_tenant: 21}", "tenancy.max_conns_per_tenant"},
		{"tenancy: {queue_per_tenant: -1}", "tenancy.queue_per_tenant"},
		{"tenancy: {rate_limit: -2}", "tenancy.rate_limit"},
		{"tenancy: {provision: copy}", "tenancy.provision"},
		{"server: {trusted_origins: [maboite.com]}", "server.trusted_origins[0]"},
		{"server: {trusted_origins: [https://ok.example, https://Bad.example]}", "server.trusted_origins[1]"},
		{"server: {request_timeout: soon}", "yaml"},
		{"server: {trusted_proxies: [10.0.0.1]}", "server.trusted_proxies[0]"},
		{"server: {trusted_proxies: [10.0.0.0/8, proxy.example/32]}", "server.trusted_proxies[1]"},
		{"auth: {hash_concurrency: -1}", "auth.hash_concurrency"},
		{"auth: {hash_concurrency: 5000}", "auth.hash_concurrency"},
		{"tenancy: {role_prefix: Polls_}", "tenancy.role_prefix"},
		{"tenancy: {role_prefix: 1polls_}", "tenancy.role_prefix"},
		{"tenancy: {role_prefix: pg_polls_}", "tenancy.role_prefix"},
		{"tenancy: {role_prefix: polls-staging}", "tenancy.role_prefix"},
		{"tenancy: {role_prefix: polls_a_very_long_installation_name_}", "tenancy.role_prefix"},
		{"tenancy: {default_language: de}", "tenancy.default_language"},
		{"tenancy: {default_language: FR}", "tenancy.default_language"},
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

func TestPerTenantDefaultsFollowThePool(t *testing.T) {
	c := Default()
	if c.PerTenantConns() != 2 || c.PerTenantQueue() != MinQueuePerTenant || c.Server.RequestTimeout != 5*time.Second {
		t.Fatalf("defaults: %d connections per tenant, queue %d, budget %v; want 2, %d, 5s",
			c.PerTenantConns(), c.PerTenantQueue(), c.Server.RequestTimeout, MinQueuePerTenant)
	}
	if c.PoolSize() != DefaultMaxConns {
		t.Fatalf("default pool %d, want %d", c.PoolSize(), DefaultMaxConns)
	}
	c.Database.URL, c.Database.SessionURL = "postgres://db:5432/polls", "postgres://db:5432/polls"
	if c.BehindPooler() || c.PoolSize() != DefaultMaxConns {
		t.Fatalf("session_url the same as url: behind a pooler %v, pool %d; want false and %d", c.BehindPooler(), c.PoolSize(), DefaultMaxConns)
	}
	c.Database.URL = "postgres://pgbouncer:6432/polls"
	if c.PoolSize() != PoolerMaxConns || c.PerTenantConns() != PoolerMaxConns/4 {
		t.Fatalf("behind a pooler: pool %d, share %d; want %d and a quarter of it", c.PoolSize(), c.PerTenantConns(), PoolerMaxConns)
	}
	c.Database.MaxConns = 40
	if c.PerTenantConns() != 10 || c.PerTenantQueue() != 80 {
		t.Fatalf("a pool of 40 gives %d connections per tenant and a queue of %d, want 10 and 80",
			c.PerTenantConns(), c.PerTenantQueue())
	}
	c.Database.MaxConns = 4
	if c.PerTenantConns() != 2 {
		t.Fatalf("a pool of 4 gives %d connections per tenant, want at least 2", c.PerTenantConns())
	}
	c.Tenancy.MaxConnsPerTenant, c.Tenancy.QueuePerTenant = 3, 7
	if c.PerTenantConns() != 3 || c.PerTenantQueue() != 7 {
		t.Fatalf("set values: got %d and %d, want 3 and 7", c.PerTenantConns(), c.PerTenantQueue())
	}
}

func TestTrustedProxiesAndHashSlots(t *testing.T) {
	c := Default()
	if n := c.Server.ProxyNets(); len(n) != 0 {
		t.Errorf("default trusted proxies: got %v, want none", n)
	}
	if got, want := c.HashSlots(), runtime.NumCPU(); got != want {
		t.Errorf("default hash slots: got %d, want one per CPU (%d)", got, want)
	}
	c.Server.TrustedProxies = []string{"10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32"}
	c.Auth.HashConcurrency = 3
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range c.Server.ProxyNets() {
		got = append(got, n.String())
	}
	if strings.Join(got, " ") != "10.0.0.0/8 2001:db8::/32 192.0.2.7/32" {
		t.Errorf("proxy nets: got %q, want the three CIDRs", got)
	}
	if c.HashSlots() != 3 {
		t.Errorf("hash slots when set: got %d, want 3", c.HashSlots())
	}
}

func TestRolePrefixSetByHand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("tenancy: {role_prefix: polls_staging_}"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, true, func(string) string { return "" })
	if err != nil || c.Tenancy.RolePrefix != "polls_staging_" {
		t.Fatalf("got %q, %v; want polls_staging_ accepted", c.Tenancy.RolePrefix, err)
	}
	if Default().Tenancy.RolePrefix != "" {
		t.Fatalf("the default prefix is %q, want empty (derived from the database)", Default().Tenancy.RolePrefix)
	}
}

func TestMainDomainIsAHostname(t *testing.T) {
	for value, ok := range map[string]bool{
		"maboite.com": true, "localhost": true, "": true,
		"www.maboite.com": false, "https://maboite.com": false, "maboite.com:8080": false,
		"MaBoite.com": false, "maboite.com.": false, "-x.com": false,
	} {
		path := filepath.Join(t.TempDir(), "config.yaml")
		if err := os.WriteFile(path, []byte("tenancy: {main_domain: '"+value+"'}"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path, true, func(string) string { return "" })
		var cerr *Error
		if ok && err != nil || !ok && (!errors.As(err, &cerr) || cerr.Key != "tenancy.main_domain") {
			t.Errorf("main_domain %q: got %v, want accepted=%v (a refusal naming tenancy.main_domain)", value, err, ok)
		}
	}
}
