package main

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// serveConfig writes the settings polls serve runs with in the benchmark:
// config.yaml's defaults but for -affinity and -pipeline-scope, plus
// Prometheus metrics on metricsAddr, from which mallocs reads the
// allocations polls makes. The metrics cost each request a few counter
// updates.
func serveConfig(dir, metricsAddr string, o options) (string, error) {
	path := filepath.Join(dir, "serve.yaml")
	body := fmt.Sprintf("server:\n  metrics_addr: %q\ndatabase:\n  max_conns: %d\n  affinity: %v\n  pipeline_scope: %v\n  commit_behind: %v\n",
		metricsAddr, o.maxConns, o.affinity, o.pipelineScope, o.commitBehind)
	if !o.shares {
		// A share of the whole pool is no share.
		body += fmt.Sprintf("tenancy:\n  max_conns_per_tenant: %d\n", o.maxConns)
	}
	return path, os.WriteFile(path, []byte(body), 0o644)
}

// mallocs reads go_memstats_mallocs_total, the heap objects polls has
// allocated so far, from its metrics; -1 when it cannot.
func mallocs(metricsAddr string) int64 { return metric(metricsAddr, "go_memstats_mallocs_total") }

// metric reads one unlabelled series of polls' metrics; -1 when it cannot.
func metric(metricsAddr, name string) int64 {
	if metricsAddr == "" {
		return -1
	}
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("http://" + metricsAddr + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return -1
			}
			return int64(f)
		}
	}
	return -1
}
