// Package config loads polls' settings: built-in defaults, then a YAML file over
// them, then a short list of environment overrides, then validation.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"polls/app/i18n"
)

// Config is every setting polls reads. The YAML keys are documented in config.yaml.
type Config struct {
	Addr     string   `yaml:"addr"`
	Server   Server   `yaml:"server"`
	Database Database `yaml:"database"`
	Migrate  Migrate  `yaml:"migrate"`
	Session  Session  `yaml:"session"`
	Auth     Auth     `yaml:"auth"`
	Log      Log      `yaml:"log"`
	Tenancy  Tenancy  `yaml:"tenancy"`
}

// Server bounds what one request and one client may take.
type Server struct {
	// RequestTimeout bounds a request's database work: the wait for a
	// connection, each statement, each lock wait.
	RequestTimeout time.Duration `yaml:"request_timeout"`
	// MaxConnsPerClient caps the connections one client address holds open; 0: no cap.
	MaxConnsPerClient int `yaml:"max_conns_per_client"`
	// MaxFields is how many query parameters, and form fields, a request may
	// have (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS); 0: no limit.
	MaxFields int `yaml:"max_fields"`
	// TrustedOrigins may post forms to every site besides the site itself
	// (Django's CSRF_TRUSTED_ORIGINS): scheme://host[:port] each.
	TrustedOrigins []string `yaml:"trusted_origins"`
	// TrustedProxies are the CIDRs of the reverse proxies whose
	// X-Forwarded-For and X-Forwarded-Proto headers are believed; empty:
	// none, so a client cannot pick its own address or scheme (ProxyNets).
	TrustedProxies []string `yaml:"trusted_proxies"`
	// MetricsAddr is where Prometheus metrics are served (/metrics), apart
	// from the sites so no tenant's Host reaches them; empty: not served.
	MetricsAddr string `yaml:"metrics_addr"`
}

// ProxyNets is server.trusted_proxies parsed; Validate has checked it, so
// an entry that does not parse cannot occur and is skipped.
func (s Server) ProxyNets() []*net.IPNet {
	nets := make([]*net.IPNet, 0, len(s.TrustedProxies))
	for _, cidr := range s.TrustedProxies {
		if _, n, err := net.ParseCIDR(cidr); err == nil {
			nets = append(nets, n)
		}
	}
	return nets
}

// Tenancy chooses how strongly PostgreSQL keeps tenants apart, and how the
// pool is shared between them.
type Tenancy struct {
	// Isolation is "roles" (each schema owned by its own role, every request
	// run as it) or "search_path" (the search_path alone, as django-tenants).
	Isolation string `yaml:"isolation"`
	// MaxConnsPerTenant caps the connections one tenant holds at once; 0
	// means a quarter of the pool (PoolSize), at least 2 (PerTenantConns).
	MaxConnsPerTenant int `yaml:"max_conns_per_tenant"`
	// QueuePerTenant is how many more of a tenant's requests may wait for one
	// of its connections; 0 means eight times its connections, at least
	// MinQueuePerTenant (PerTenantQueue).
	QueuePerTenant int `yaml:"queue_per_tenant"`
	// RateLimit is each tenant's requests per second; 0: no limit.
	RateLimit float64 `yaml:"rate_limit"`
	// Provision is how a new tenant's schema is built: "template" (from the
	// structure recorded once per release) or "migrations" (replaying each).
	Provision string `yaml:"provision"`
	// RolePrefix begins every tenant role's name. Roles are shared by every
	// database of the PostgreSQL server, so each installation needs its own;
	// empty means one derived from the database's name (tenant.ResolveRoles).
	RolePrefix string `yaml:"role_prefix"`
	// MainDomain serves the public site (landing page, sign-up, platform
	// admin) from the shared schema, also as www.MainDomain; tenants signing
	// up get SUBDOMAIN.MainDomain. Empty: no public site.
	MainDomain string `yaml:"main_domain"`
	// SignupRate is how many sign-up attempts one client address may post
	// to the main domain per hour; 0: no limit.
	SignupRate int `yaml:"signup_rate"`
	// TrialDays is the trial a tenant that signs up starts with: on_trial,
	// paid_until today plus this many days.
	TrialDays int `yaml:"trial_days"`
	// UnknownHost is what an unknown subdomain of MainDomain gets:
	// "not_found" (404) or "redirect" (302 to the landing page).
	UnknownHost string `yaml:"unknown_host"`
	// DefaultLanguage is the language ("en" or "fr", app/i18n) of a tenant
	// created without one.
	DefaultLanguage string `yaml:"default_language"`
}

// MigrateJobs is migrate.workers with its default applied: twice the CPUs
// Go may use (a tenant's migration waits on PostgreSQL about half the time),
// but fewer than database.max_conns so a server sharing the limit keeps one.
func (c Config) MigrateJobs() int {
	if c.Migrate.Workers > 0 {
		return c.Migrate.Workers
	}
	return max(1, min(2*runtime.GOMAXPROCS(0), c.PoolSize()-1))
}

// DefaultMaxConns is the pool straight to PostgreSQL: more than about four
// connections per CPU of the database server only adds switching between its
// backends (README, "Benchmarks", "Pool size").
const DefaultMaxConns = 10

// PoolerMaxConns is the pool when database.url is a transaction pooler
// (session_url set apart): each transaction takes longer through it, so a
// tenant's quarter of 10 connections held it back (the index 2,899-3,162
// requests/s through PgBouncer against 3,286-3,691 with 20), while the
// PostgreSQL backends are the pooler's to limit, not polls'.
const PoolerMaxConns = 20

// PoolSize is database.max_conns with its default applied.
func (c Config) PoolSize() int {
	switch {
	case c.Database.MaxConns > 0:
		return c.Database.MaxConns
	case c.BehindPooler():
		return PoolerMaxConns
	}
	return DefaultMaxConns
}

// BehindPooler reports whether database.url is a transaction pooler
// (PgBouncer): what a session_url set apart from it means. serve's requests
// then go through the pooler and everything needing a session of its own
// through session_url.
func (c Config) BehindPooler() bool {
	return c.Database.SessionURL != "" && c.Database.SessionURL != c.Database.URL
}

// PerTenantConns is tenancy.max_conns_per_tenant with its default applied.
func (c Config) PerTenantConns() int {
	if c.Tenancy.MaxConnsPerTenant > 0 {
		return c.Tenancy.MaxConnsPerTenant
	}
	return max(2, c.PoolSize()/4)
}

// PerTenantQueue is tenancy.queue_per_tenant with its default applied.
func (c Config) PerTenantQueue() int {
	if c.Tenancy.QueuePerTenant > 0 {
		return c.Tenancy.QueuePerTenant
	}
	return max(MinQueuePerTenant, 8*c.PerTenantConns())
}

// MinQueuePerTenant is the shortest default queue: a burst of one tenant's
// visitors (32 at once, say) waits its turn instead of meeting 503s, however
// small the tenant's share of the pool. Waiting costs the other tenants
// nothing (they have shares of their own), and server.request_timeout bounds
// each wait.
const MinQueuePerTenant = 32

// Database says where PostgreSQL is, or where the private one keeps its data.
type Database struct {
	URL string `yaml:"url"`
	// SessionURL is for the work that needs a session of its own: LISTEN for
	// route changes, migrations, and the admin commands' advisory locks. Empty
	// means URL. Behind PgBouncer in transaction mode it names PostgreSQL itself.
	SessionURL string `yaml:"session_url"`
	DataDir    string `yaml:"data_dir"`
	// MaxConns is the pool; 0 means PoolSize's default for where URL leads.
	MaxConns int `yaml:"max_conns"`
	// PipelineScope sends a tenant transaction's BEGIN and SET LOCALs in
	// front of its first query (no round trip of their own); false sends
	// them alone, as an ordinary statement.
	PipelineScope bool `yaml:"pipeline_scope"`
	// Affinity gives a tenant's transactions a connection that last served
	// that tenant when one is idle, so PostgreSQL reuses its query plans.
	Affinity bool `yaml:"affinity"`
	// CommitBehind lets a read-only page's transaction end without waiting
	// for its COMMIT, which rides in front of the connection's next message
	// (needs Affinity); false waits for every COMMIT.
	CommitBehind bool `yaml:"commit_behind"`
}

// Migrate tunes `polls migrate`.
type Migrate struct {
	Workers int `yaml:"workers"`
}

// Session tunes admin login sessions.
type Session struct {
	MaxAge time.Duration `yaml:"max_age"`
}

// Auth tunes the admin's password checks.
type Auth struct {
	// HashConcurrency is how many password hashes (argon2id, 19 MiB each)
	// may run at once in the process; 0 means one per CPU (HashSlots).
	HashConcurrency int `yaml:"hash_concurrency"`
}

// HashSlots is auth.hash_concurrency with its default applied: one hash per
// CPU keeps every core busy under a login flood, and memory at 19 MiB a core.
func (c Config) HashSlots() int {
	if c.Auth.HashConcurrency > 0 {
		return c.Auth.HashConcurrency
	}
	return max(1, runtime.NumCPU())
}

// Log chooses the log format and level.
type Log struct {
	Format string `yaml:"format"`
	Level  string `yaml:"level"`
	// Requests chooses the access log: all, errors, off or sample:N
	// (RequestLog parses it).
	Requests string `yaml:"requests"`
}

// Error is a bad setting: which key, and what is wrong with it.
type Error struct {
	Key string
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("config: %s: %s", e.Key, e.Msg) }

// Default returns the built-in settings, the ones config.yaml documents.
func Default() Config {
	return Config{
		Addr:     "127.0.0.1:8080",
		Server:   Server{RequestTimeout: 5 * time.Second, MaxConnsPerClient: 128, MaxFields: 1000, TrustedOrigins: []string{}, TrustedProxies: []string{}},
		Database: Database{DataDir: ".polls/pgdata", PipelineScope: true, Affinity: true, CommitBehind: true},
		Migrate:  Migrate{Workers: 0},
		Session:  Session{MaxAge: 14 * 24 * time.Hour},
		Log:      Log{Format: "text", Level: "info", Requests: "all"},
		Tenancy: Tenancy{Isolation: "roles", Provision: "template", MainDomain: "localhost", SignupRate: 10, TrialDays: 14, UnknownHost: UnknownHostNotFound,
			DefaultLanguage: "en"},
	}
}

// Load reads path over the defaults (a missing file is fine unless required),
// applies environment overrides from getenv, and validates the result.
func Load(path string, required bool, getenv func(string) string) (Config, error) {
	cfg := Default()
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := decode(data, &cfg); err != nil {
			return cfg, fmt.Errorf("%s: %w", path, err)
		}
	case errors.Is(err, os.ErrNotExist) && !required:
	default:
		return cfg, &Error{Key: "--config", Msg: err.Error()}
	}
	if err := applyEnv(&cfg, getenv); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

func decode(data []byte, cfg *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true) // a misspelt key is an error, not a silent default
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return &Error{Key: "yaml", Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	return nil
}

// envOverrides maps each environment variable to the setting it replaces.
var envOverrides = []struct {
	name string
	set  func(*Config, string) error
}{
	{"POLLS_DATABASE_URL", func(c *Config, v string) error { c.Database.URL = v; return nil }},
	{"POLLS_DATABASE_SESSION_URL", func(c *Config, v string) error { c.Database.SessionURL = v; return nil }},
	{"POLLS_ADDR", func(c *Config, v string) error { c.Addr = v; return nil }},
	{"POLLS_DATA_DIR", func(c *Config, v string) error { c.Database.DataDir = v; return nil }},
	{"POLLS_MIGRATE_WORKERS", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return &Error{Key: "POLLS_MIGRATE_WORKERS", Msg: fmt.Sprintf("%q is not a whole number", v)}
		}
		c.Migrate.Workers = n
		return nil
	}},
	{"POLLS_LOG_FORMAT", func(c *Config, v string) error { c.Log.Format = v; return nil }},
}

func applyEnv(cfg *Config, getenv func(string) string) error {
	for _, o := range envOverrides {
		if v := getenv(o.name); v != "" {
			if err := o.set(cfg, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// Validate checks every setting and names the first bad one.
func (c Config) Validate() error {
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		return &Error{Key: "addr", Msg: fmt.Sprintf("%q is not HOST:PORT (e.g. 127.0.0.1:8080)", c.Addr)}
	}
	if c.Database.URL != "" && !strings.HasPrefix(c.Database.URL, "postgres://") && !strings.HasPrefix(c.Database.URL, "postgresql://") {
		return &Error{Key: "database.url", Msg: "must start with postgres:// or postgresql://"}
	}
	if c.Database.SessionURL != "" && !strings.HasPrefix(c.Database.SessionURL, "postgres://") && !strings.HasPrefix(c.Database.SessionURL, "postgresql://") {
		return &Error{Key: "database.session_url", Msg: "must start with postgres:// or postgresql://"}
	}
	if c.Database.SessionURL != "" && c.Database.URL == "" {
		return &Error{Key: "database.session_url", Msg: "is only used together with database.url"}
	}
	if c.Database.URL == "" && c.Database.DataDir == "" {
		return &Error{Key: "database.data_dir", Msg: "must be set when database.url is empty"}
	}
	if c.Database.MaxConns != 0 && (c.Database.MaxConns < 2 || c.Database.MaxConns > 1000) {
		return &Error{Key: "database.max_conns", Msg: fmt.Sprintf("%d is out of range 2..1000 (0: the default)", c.Database.MaxConns)}
	}
	if c.Migrate.Workers < 0 || c.Migrate.Workers > 64 {
		return &Error{Key: "migrate.workers", Msg: fmt.Sprintf("%d is out of range 0..64", c.Migrate.Workers)}
	}
	if c.Session.MaxAge < time.Minute {
		return &Error{Key: "session.max_age", Msg: fmt.Sprintf("%s is shorter than a minute", c.Session.MaxAge)}
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		return &Error{Key: "log.format", Msg: fmt.Sprintf("%q is not text or json", c.Log.Format)}
	}
	if c.Server.RequestTimeout < 100*time.Millisecond || c.Server.RequestTimeout > 10*time.Minute {
		return &Error{Key: "server.request_timeout", Msg: fmt.Sprintf("%s is out of range 100ms..10m", c.Server.RequestTimeout)}
	}
	for i, o := range c.Server.TrustedOrigins {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || o != strings.ToLower(o) {
			return &Error{Key: fmt.Sprintf("server.trusted_origins[%d]", i), Msg: fmt.Sprintf("%q is not a lowercase scheme://host[:port] (e.g. https://www.maboite.com)", o)}
		}
	}
	if c.Server.MaxFields < 0 {
		return &Error{Key: "server.max_fields", Msg: fmt.Sprintf("%d is negative (0 means no limit)", c.Server.MaxFields)}
	}
	for i, p := range c.Server.TrustedProxies {
		if _, _, err := net.ParseCIDR(p); err != nil {
			return &Error{Key: fmt.Sprintf("server.trusted_proxies[%d]", i), Msg: fmt.Sprintf("%q is not a CIDR (e.g. 10.0.0.0/8, or 10.0.0.5/32 for one address)", p)}
		}
	}
	if c.Auth.HashConcurrency < 0 || c.Auth.HashConcurrency > 1024 {
		return &Error{Key: "auth.hash_concurrency", Msg: fmt.Sprintf("%d is out of range 0..1024 (0 means one per CPU)", c.Auth.HashConcurrency)}
	}
	if c.Server.MaxConnsPerClient < 0 {
		return &Error{Key: "server.max_conns_per_client", Msg: fmt.Sprintf("%d is negative (0 means no cap)", c.Server.MaxConnsPerClient)}
	}
	if c.Tenancy.MaxConnsPerTenant < 0 || c.Tenancy.MaxConnsPerTenant > c.PoolSize() {
		return &Error{Key: "tenancy.max_conns_per_tenant", Msg: fmt.Sprintf("%d is out of range 0..database.max_conns (%d)", c.Tenancy.MaxConnsPerTenant, c.PoolSize())}
	}
	if c.Tenancy.QueuePerTenant < 0 {
		return &Error{Key: "tenancy.queue_per_tenant", Msg: fmt.Sprintf("%d is negative (0 means eight times the tenant's connections, at least %d)", c.Tenancy.QueuePerTenant, MinQueuePerTenant)}
	}
	if c.Tenancy.RateLimit < 0 {
		return &Error{Key: "tenancy.rate_limit", Msg: fmt.Sprintf("%g is negative (0 means no limit)", c.Tenancy.RateLimit)}
	}
	if c.Tenancy.Provision != "template" && c.Tenancy.Provision != "migrations" {
		return &Error{Key: "tenancy.provision", Msg: fmt.Sprintf("%q is not template or migrations", c.Tenancy.Provision)}
	}
	if c.Tenancy.Isolation != "roles" && c.Tenancy.Isolation != "search_path" {
		return &Error{Key: "tenancy.isolation", Msg: fmt.Sprintf("%q is not roles or search_path", c.Tenancy.Isolation)}
	}
	if _, err := i18n.Parse(c.Tenancy.DefaultLanguage); err != nil {
		return &Error{Key: "tenancy.default_language", Msg: err.Error()}
	}
	if err := validRolePrefix(c.Tenancy.RolePrefix); err != "" {
		return &Error{Key: "tenancy.role_prefix", Msg: err}
	}
	if err := validMainDomain(c.Tenancy.MainDomain); err != "" {
		return &Error{Key: "tenancy.main_domain", Msg: err}
	}
	if err := c.validateSignup(); err != nil {
		return err
	}
	if err := c.validateObservability(); err != nil {
		return err
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return &Error{Key: "log.level", Msg: fmt.Sprintf("%q is not debug, info, warn or error", c.Log.Level)}
	}
	return nil
}
