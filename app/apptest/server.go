package apptest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"polls/app/auth"
	"polls/app/config"
	"polls/app/database"
	"polls/app/dbmigrate"
	"polls/app/metrics"
	"polls/app/tenant"
	"polls/app/web"
	"polls/migrations"
	"polls/views"
)

// Server is the real application behind a real HTTP listener.
type Server struct {
	URL      string // http://127.0.0.1:PORT
	Resolver *tenant.Resolver
	Logs     *Logs // everything the application logged, in the text format
	// MetricsURL is http://127.0.0.1:PORT/metrics on a listener of its own,
	// when the settings give server.metrics_addr (any address: the test's
	// listener takes a free port); empty otherwise.
	MetricsURL string
}

// Options changes what NewServerWith builds; the zero value is what `polls
// serve` builds with the default settings.
type Options struct {
	// DB serves the requests (a pool through PgBouncer, or one whose traffic
	// is counted); nil means the suite's. The route cache always reads and
	// LISTENs through the suite's own connection, so DB carries requests only.
	DB *database.DB
	// Home is the database the route cache reads and LISTENs on and /readyz
	// checks; nil means the suite's. A test with a server of its own sets
	// both DB and Home to it.
	Home      *database.DB
	Isolation tenant.Isolation // the zero value means roles, as serve's default
	// Config changes the settings the server is built from (request limits);
	// nil means config.yaml's defaults, as serve with no config file.
	Config func(*config.Config)
	// Throttle is the login throttle; nil means a new one, as serve's.
	Throttle *auth.Throttle
	// Hasher runs password hashes; nil means one with the settings' slots
	// (auth.hash_concurrency), as serve's.
	Hasher *auth.Hasher
	// TenantVersion is the tenant migration version the server's code needs
	// (tenants behind it get the maintenance page); 0 means the latest
	// embedded one, as serve's. An earlier one plays the previous release.
	TenantVersion int64
}

// NewServer starts the application exactly as `polls serve` builds it.
func NewServer(t testing.TB) *Server {
	t.Helper()
	return NewServerWith(t, Options{})
}

// NewServerOn is NewServer with requests served from db.
func NewServerOn(t testing.TB, db *database.DB) *Server {
	t.Helper()
	return NewServerWith(t, Options{DB: db})
}

// NewServerWith starts the application as `polls serve` builds it, changed by opts.
func NewServerWith(t testing.TB, opts Options) *Server {
	t.Helper()
	db, home := opts.DB, opts.Home
	if home == nil {
		home = DB(t)
	}
	if db == nil {
		db = home
	}
	logs := &Logs{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	resolver := tenant.NewResolver(home.SQL, home.URL, log)
	if err := resolver.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	listenCtx, stopListen := context.WithCancel(context.Background())
	t.Cleanup(stopListen)
	go resolver.Listen(listenCtx) // as serve does: registry changes reach the routes
	set, err := views.Parse()
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	if opts.Config != nil {
		opts.Config(&cfg)
	}
	hasher := opts.Hasher
	if hasher == nil {
		hasher = auth.NewHasher(cfg.HashSlots())
	}
	probe := &database.Probe{URL: home.URL}
	t.Cleanup(probe.Close)
	needs := opts.TenantVersion
	if needs == 0 {
		latest, err := dbmigrate.Latest(migrations.Tenant())
		if err != nil {
			t.Fatal(err)
		}
		needs = int64(latest)
	}
	deps := web.Deps{
		DB: db, Resolver: resolver, Views: set, Log: log, Isolation: opts.Isolation,
		Limits: web.LimitsFrom(cfg), TrustedOrigins: cfg.Server.TrustedOrigins, TrustedProxies: cfg.Server.ProxyNets(),
		Throttle: opts.Throttle, Hasher: hasher, Ready: probe.Check, RequestLog: cfg.RequestLog(),
		TenantVersion: needs, MainDomain: cfg.Tenancy.MainDomain,
		Provisioner: &tenant.Provisioner{SQL: home.SQL, URL: home.URL, Isolation: opts.Isolation, Roles: Roles(t)},
		Signup:      web.SignupFrom(cfg),
	}
	metricsURL := ""
	if cfg.Server.MetricsAddr != "" {
		m, err := metrics.New(metrics.Deps{DB: db.SQL, Sites: resolver, Affinity: db.Affinity})
		if err != nil {
			t.Fatal(err)
		}
		deps.Observer = m
		ms := httptest.NewServer(m.Handler())
		t.Cleanup(ms.Close)
		metricsURL = ms.URL + "/metrics"
	}
	ts := httptest.NewUnstartedServer(web.New(deps))
	ts.Listener = web.LimitPerClient(ts.Listener, cfg.Server.MaxConnsPerClient, log)
	ts.Start()
	t.Cleanup(ts.Close)
	return &Server{URL: ts.URL, Resolver: resolver, Logs: logs, MetricsURL: metricsURL}
}

// Logs collects a server's log lines; safe for the server's goroutines.
type Logs struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{} // closed and replaced at every write, for WaitFor
}

func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.written != nil {
		close(l.written)
		l.written = nil
	}
	return l.buf.Write(p)
}

// String returns everything logged so far.
func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// WaitFor waits until the log contains s, woken by each write; it fails the
// test after timeout, a safety net for a line that never comes.
func (l *Logs) WaitFor(t testing.TB, s string, timeout time.Duration) {
	t.Helper()
	expired := time.After(timeout)
	for {
		l.mu.Lock()
		if bytes.Contains(l.buf.Bytes(), []byte(s)) {
			l.mu.Unlock()
			return
		}
		if l.written == nil {
			l.written = make(chan struct{})
		}
		written := l.written
		l.mu.Unlock()
		select {
		case <-written:
		case <-expired:
			t.Fatalf("the log has no %q after %v:\n%s", s, timeout, l.String())
		}
	}
}

// Client returns a browser-like client: it sends every request to the server
// whatever the URL's host (so http://client1.test/polls/ carries Host
// client1.test), keeps cookies per host, and does not follow redirects.
func (s *Server) Client(t testing.TB) *http.Client {
	t.Helper()
	addr := strings.TrimPrefix(s.URL, "http://")
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Jar: jar,
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, network, addr)
			},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Get fetches http://host+path and returns the status and body.
func Get(t testing.TB, c *http.Client, host, path string) (int, string) {
	t.Helper()
	resp, body := Do(t, c, NewRequest(t, http.MethodGet, host, path, nil))
	return resp.StatusCode, body
}

// Post posts a form to http://host+path and returns the response (body read).
func Post(t testing.TB, c *http.Client, host, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	return Do(t, c, NewRequest(t, http.MethodPost, host, path, form))
}

// NewRequest builds a request to http://host+path; form, unless nil, is its
// body, encoded as a browser encodes a form. A test that sets headers or
// cookies by hand builds its request with it and sends it with Do.
func NewRequest(t testing.TB, method, host, path string, form url.Values) *http.Request {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, "http://"+host+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}

// Do sends req and returns the response (body read).
func Do(t testing.TB, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, body := ReadAll(t, resp)
	return resp, body
}

// CSRF returns the csrftoken cookie the client holds for host, fetching path
// first if it holds none.
func CSRF(t testing.TB, c *http.Client, host, path string) string {
	t.Helper()
	u, _ := url.Parse("http://" + host + "/")
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "csrftoken" {
			return ck.Value
		}
	}
	Get(t, c, host, path)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "csrftoken" {
			return ck.Value
		}
	}
	t.Fatalf("no csrftoken cookie from %s%s", host, path)
	return ""
}

// ReadAll reads and closes a response's body; it returns the status too.
func ReadAll(t testing.TB, resp *http.Response) (int, string) {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}
