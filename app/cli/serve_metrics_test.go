package cli_test

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"polls/app/apptest"
)

// TestServeMetricsListener: with server.metrics_addr, serve says where the
// metrics are, serves them there (counting the sites' requests) and not on
// the sites' listener, and stops them when it stops.
func TestServeMetricsListener(t *testing.T) {
	tn := apptest.NewTenant(t)
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("server:\n  metrics_addr: 127.0.0.1:0\nlog:\n  requests: 'off'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	logs := &apptest.Logs{}
	addr, printed, stop := startServePrinting(t, logs, "--config", path)
	var metricsURL string
	for _, line := range printed {
		if m := regexp.MustCompile(`metrics on (http://[0-9.:]+/metrics)`).FindStringSubmatch(line); m != nil {
			metricsURL = m[1]
		}
	}
	if metricsURL == "" {
		stop()
		t.Fatalf("serve did not say where the metrics are:\n%s", strings.Join(printed, "\n"))
	}
	client := &http.Client{}
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/polls/", nil)
	req.Host = tn.Domain
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := apptest.ReadAll(t, resp); status != http.StatusOK {
		t.Fatalf("index: got %d", status)
	}
	resp, err = http.Get(metricsURL)
	if err != nil {
		t.Fatal(err)
	}
	_, body := apptest.ReadAll(t, resp)
	if !strings.Contains(body, `polls_http_requests_total{code="200",page="index"} 1`) {
		t.Fatalf("the metrics do not count the index request:\n%s", body)
	}
	req.URL.Path = "/metrics"
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if status, body := apptest.ReadAll(t, resp); status != http.StatusNotFound || strings.Contains(body, "polls_http") {
		t.Fatalf("/metrics on a tenant's Host: got %d, want a 404 without metrics:\n%s", status, body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(metricsURL); err == nil {
		t.Fatal("the metrics listener still answers after serve stopped")
	}
	if strings.Contains(logs.String(), " msg=request ") {
		t.Fatalf("log.requests off: serve wrote access lines:\n%s", logs)
	}
}
