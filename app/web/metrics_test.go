package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/config"
	"polls/app/tenant"
)

// withMetrics serves metrics on a listener of their own, as server.metrics_addr does.
func withMetrics(c *config.Config) { c.Server.MetricsAddr = "127.0.0.1:0" }

// scrape reads the server's /metrics from its metrics listener.
func scrape(t *testing.T, srv *apptest.Server) string {
	t.Helper()
	if srv.MetricsURL == "" {
		t.Fatal("the server has no metrics listener")
	}
	resp, err := http.Get(srv.MetricsURL)
	if err != nil {
		t.Fatal(err)
	}
	status, body := apptest.ReadAll(t, resp)
	if status != http.StatusOK {
		t.Fatalf("GET /metrics on the metrics listener: got %d, want 200:\n%s", status, body)
	}
	return body
}

// sample is the value of one series (name with its labels, as exposed:
// labels sorted by name) in a scrape; 0 when absent, as Prometheus reads a
// counter not yet incremented.
func sample(t *testing.T, scrape, series string) float64 {
	t.Helper()
	for _, line := range strings.Split(scrape, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return f
		}
	}
	return 0
}

func TestMetricsCountRequestsByPage(t *testing.T) {
	srv := apptest.NewServerWith(t, apptest.Options{Config: withMetrics})
	tn := apptest.NewTenant(t)
	tn.AddQuestion(t, 1, "Metrics?", "-1 hour", apptest.Choice{Text: "yes"})
	client := srv.Client(t)
	before := scrape(t, srv)
	const n = 7
	for range n {
		if status, _ := apptest.Get(t, client, tn.Domain, "/polls/"); status != http.StatusOK {
			t.Fatalf("index: got %d", status)
		}
	}
	if status, _ := apptest.Get(t, client, tn.Domain, "/polls/1/"); status != http.StatusOK {
		t.Fatalf("detail: got %d", status)
	}
	if status, _ := apptest.Get(t, client, tn.Domain, "/polls/1/results/"); status != http.StatusOK {
		t.Fatalf("results: got %d", status)
	}
	if status, _ := apptest.Get(t, client, tn.Domain, "/polls/99/"); status != http.StatusNotFound {
		t.Fatalf("a missing question: got %d", status)
	}
	if status, _ := apptest.Get(t, client, tn.Domain, "/admin/login/"); status != http.StatusOK {
		t.Fatalf("admin login: got %d", status)
	}
	if status, _ := apptest.Get(t, client, tn.Domain, "/no/such/page/"); status != http.StatusNotFound {
		t.Fatalf("no route: got %d", status)
	}
	after := scrape(t, srv)

	for _, tt := range []struct {
		series string
		want   float64
	}{
		{`polls_http_requests_total{code="200",page="index"}`, n},
		{`polls_http_request_duration_seconds_count{page="index"}`, n},
		{`polls_http_request_duration_seconds_bucket{page="index",le="+Inf"}`, n},
		{`polls_http_requests_total{code="200",page="detail"}`, 1},
		{`polls_http_requests_total{code="200",page="results"}`, 1},
		{`polls_http_requests_total{code="404",page="detail"}`, 1},
		{`polls_http_requests_total{code="200",page="admin"}`, 1},
		{`polls_http_requests_total{code="404",page="other"}`, 1},
	} {
		if got := sample(t, after, tt.series) - sample(t, before, tt.series); got != tt.want {
			t.Errorf("%s went up by %g, want %g", tt.series, got, tt.want)
		}
	}
	if strings.Contains(after, tn.Schema) || strings.Contains(after, tn.Domain) || strings.Contains(after, "/polls/1/") {
		t.Errorf("a series names a tenant or a raw path:\n%s", after)
	}
	for _, series := range []string{
		`go_sql_open_connections{db_name="polls"}`, `go_sql_in_use_connections{db_name="polls"}`,
		`go_sql_idle_connections{db_name="polls"}`, `go_sql_wait_count_total{db_name="polls"}`,
		`go_goroutines`, `process_resident_memory_bytes`,
	} {
		if !strings.Contains(after, "\n"+series+" ") {
			t.Errorf("no %s in the scrape", series)
		}
	}
	if sample(t, after, `go_sql_open_connections{db_name="polls"}`) < 1 {
		t.Errorf("the pool has no open connection after serving pages:\n%s", after)
	}
}

func TestMetricsCountRateLimitRefusals(t *testing.T) {
	srv := apptest.NewServerWith(t, apptest.Options{Config: func(c *config.Config) {
		withMetrics(c)
		c.Tenancy.RateLimit = 0.01 // one request, then one every 100 s
	}})
	tn := apptest.NewTenant(t)
	client := srv.Client(t)
	const series = `polls_limit_refusals_total{limit="rate_limit"}`
	if got := sample(t, scrape(t, srv), series); got != 0 {
		t.Fatalf("%s before any request: %g", series, got)
	}
	if status, _ := apptest.Get(t, client, tn.Domain, "/polls/"); status != http.StatusOK {
		t.Fatalf("first request: got %d, want 200", status)
	}
	for range 2 {
		if status, _ := apptest.Get(t, client, tn.Domain, "/polls/"); status != http.StatusTooManyRequests {
			t.Fatalf("over the rate: got %d, want 429", status)
		}
	}
	after := scrape(t, srv)
	if got := sample(t, after, series); got != 2 {
		t.Errorf("%s: got %g, want 2", series, got)
	}
	if got := sample(t, after, `polls_http_requests_total{code="429",page="index"}`); got != 2 {
		t.Errorf("429s on the index: got %g, want 2", got)
	}
}

func TestMetricsCountTenantsByState(t *testing.T) {
	srv := apptest.NewServerWith(t, apptest.Options{Config: withMetrics})
	tn := apptest.NewTenant(t)
	waitForStatus(t, srv, tn.Domain, "/polls/", http.StatusOK, 10*time.Second)
	before := scrape(t, srv)
	yes := true
	if _, err := tenant.ChangePlan(context.Background(), apptest.DB(t).SQL, tn.Schema, tenant.PlanChange{Suspended: &yes}, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	waitForStatus(t, srv, tn.Domain, "/polls/", http.StatusPaymentRequired, 10*time.Second)
	after := scrape(t, srv)
	serving := sample(t, after, `polls_tenants{state="serving"}`) - sample(t, before, `polls_tenants{state="serving"}`)
	suspended := sample(t, after, `polls_tenants{state="suspended"}`) - sample(t, before, `polls_tenants{state="suspended"}`)
	// Tenants that other tests created meanwhile may have reached the
	// server's routes between the two scrapes (as serving): the suspended
	// one moved, and nobody left.
	if suspended != 1 || serving+suspended < 0 {
		t.Fatalf("after suspending a tenant: serving moved by %g, suspended by %g; want +1 suspended, the total not lower",
			serving, suspended)
	}
	if sample(t, after, `polls_tenants{state="serving"}`)+sample(t, after, `polls_tenants{state="suspended"}`) < 1 {
		t.Fatalf("no tenant counted:\n%s", after)
	}
}

// TestMetricsAreNotOnTheSites: on the main listener, /metrics is a path like
// any other: a tenant's 404 on its Host, the unknown-host 404 elsewhere; and
// the metrics listener serves nothing else.
func TestMetricsAreNotOnTheSites(t *testing.T) {
	srv := apptest.NewServerWith(t, apptest.Options{Config: withMetrics})
	tn := apptest.NewTenant(t)
	client := srv.Client(t)
	apptest.Get(t, client, tn.Domain, "/polls/") // something to count
	for _, host := range []string{tn.Domain, "nobody.test", strings.TrimPrefix(srv.URL, "http://")} {
		for _, path := range []string{"/metrics", "/metrics/"} {
			status, body := apptest.Get(t, client, host, path)
			if status != http.StatusNotFound {
				t.Errorf("%s%s on the main listener: got %d, want 404", host, path, status)
			}
			if strings.Contains(body, "polls_http_requests_total") || strings.Contains(body, "go_goroutines") {
				t.Errorf("%s%s on the main listener exposes metrics:\n%s", host, path, body)
			}
		}
	}
	resp, err := http.Get(strings.TrimSuffix(srv.MetricsURL, "/metrics") + "/polls/")
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := apptest.ReadAll(t, resp); status != http.StatusNotFound {
		t.Errorf("/polls/ on the metrics listener: got %d, want 404", status)
	}
}

func TestNoMetricsListenerByDefault(t *testing.T) {
	srv := apptest.NewServer(t)
	if srv.MetricsURL != "" {
		t.Fatalf("metrics served by default at %s", srv.MetricsURL)
	}
}

// TestMetricsCountTenantsBySchema: tenants by recorded schema version and
// migration state, so a rollout and its failures show on a dashboard.
func TestMetricsCountTenantsBySchema(t *testing.T) {
	srv := apptest.NewServerWith(t, apptest.Options{Config: withMetrics})
	tn := apptest.NewTenant(t)
	latest := latestTenantVersion(t)
	series := fmt.Sprintf(`polls_tenants_by_schema{migration="failed",version="%d"}`, latest-1)
	before := sample(t, scrape(t, srv), series)
	if _, err := apptest.DB(t).SQL.Exec(`UPDATE public.tenants SET schema_version = $2, migration_state = 'failed' WHERE schema_name = $1`,
		tn.Schema, latest-1); err != nil {
		t.Fatal(err)
	}
	waitForStatus(t, srv, tn.Domain, "/polls/", http.StatusServiceUnavailable, 10*time.Second)
	after := scrape(t, srv)
	if got := sample(t, after, series) - before; got != 1 {
		t.Fatalf("%s moved by %g, want 1:\n%s", series, got, after)
	}
	if got := sample(t, after, `polls_limit_refusals_total{limit="maintenance"}`); got < 1 {
		t.Fatalf("the maintenance page was not counted as a refusal:\n%s", after)
	}
}

func TestMetricsCountWhereTenantTransactionsFoundTheirConnections(t *testing.T) {
	srv := apptest.NewServerWith(t, apptest.Options{Config: withMetrics})
	tn := apptest.NewTenant(t)
	client := srv.Client(t)
	waitForStatus(t, srv, tn.Domain, "/polls/", http.StatusOK, 10*time.Second)
	before := scrape(t, srv)
	const n = 5
	for range n {
		apptest.Get(t, client, tn.Domain, "/polls/") // one at a time: each finds the last one's connection idle
	}
	after := scrape(t, srv)
	if !apptest.PoolOptions(1).Affinity { // POLLS_TEST_AFFINITY=off
		if strings.Contains(after, "polls_db_affinity_takes_total") {
			t.Fatal("affinity off, yet its series are exposed")
		}
		return
	}
	var total float64
	for _, source := range []string{"hit", "spill", "fresh", "handoff_home", "handoff_other"} {
		series := fmt.Sprintf(`polls_db_affinity_takes_total{source=%q}`, source)
		total += sample(t, after, series) - sample(t, before, series)
	}
	hits := sample(t, after, `polls_db_affinity_takes_total{source="hit"}`) - sample(t, before, `polls_db_affinity_takes_total{source="hit"}`)
	if total < n || hits < 1 {
		t.Errorf("after %d requests one at a time: %g connections taken, %g of them hits; want at least %d and 1:\n%s", n, total, hits, n, after)
	}
	if !strings.Contains(after, "polls_db_affinity_queued 0") {
		t.Errorf("want no transaction queued once the requests are answered:\n%s", after)
	}
}
