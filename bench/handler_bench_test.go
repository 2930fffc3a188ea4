// Package bench_test measures polls' request path in-process, for profiling:
// the real application (web.New, as `polls serve` builds it) on a real
// PostgreSQL, driven without HTTP sockets so the profile shows polls' own
// costs. Run it with
//
//	go test ./bench -run '^$' -bench . -cpuprofile cpu.out -memprofile mem.out
//	go tool pprof -top cpu.out
//
// Without -bench no database is started and nothing runs.
package bench_test

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"

	"gorm.io/gorm"

	"polls/app/apptest"
	"polls/app/config"
	"polls/app/database"
	"polls/app/tenant"
	"polls/app/web"
	"polls/bench/procstat"
	"polls/views"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if flag.Lookup("test.bench").Value.String() == "" {
		os.Exit(m.Run()) // no benchmark asked for: no database needed
	}
	apptest.Main(m)
}

// seed is what `make bench` puts in every tenant (bench/cmd/bench/setup.go).
const seed = `
INSERT INTO polls_question (id, question_text, pub_date)
SELECT i, 'Benchmark question number ' || i || '?', now() - make_interval(hours => i) FROM generate_series(1, 20) i;
INSERT INTO polls_choice (id, question_id, choice_text, votes)
SELECT (q - 1) * 3 + c, q, 'Choice ' || c, 0 FROM generate_series(1, 20) q, generate_series(1, 3) c;
SELECT setval(pg_get_serial_sequence('polls_question', 'id'), 20);
SELECT setval(pg_get_serial_sequence('polls_choice', 'id'), 60)`

// variant is one way of building the database handle polls runs on.
type variant struct {
	name        string
	param       string // appended to the test database URL
	quiet       bool   // request log lines off (level WARN)
	affinityOff bool   // database.affinity: false
	pipelineOff bool   // database.pipeline_scope: false
	serveLimits bool   // config.yaml's request limits (a tenant's share of the pool), as serve's
}

var variants = []variant{
	{name: "polls"}, // database.Open as `polls serve` calls it: cached statements
	{name: "exec", param: "default_query_exec_mode=exec"}, // as behind PgBouncer
	{name: "cache_describe", param: "default_query_exec_mode=cache_describe"},
	{name: "simple_protocol", param: "default_query_exec_mode=simple_protocol"},
	{name: "no_request_log", quiet: true},
	{name: "affinity_off", affinityOff: true},
	{name: "pipeline_scope_off", pipelineOff: true},
}

// affinityVariants compare database.affinity's two positions.
// Both run with serve's limits: a tenant's share of the pool keeps two
// tenants' 32 requests from waiting for a connection, as under `make bench`.
var affinityVariants = []variant{{name: "affinity_on", serveLimits: true}, {name: "affinity_off", affinityOff: true, serveLimits: true}}

// spreadTenants is how many tenants BenchmarkIndexSpread spreads its load over.
const spreadTenants = 40

// BenchmarkIndexSpread serves the index from spreadTenants tenants in turn,
// with affinity on and off: each request's tenant differs from the last one's.
func BenchmarkIndexSpread(b *testing.B) {
	tenants := make([]apptest.Tenant, spreadTenants)
	for i := range tenants {
		tenants[i] = apptest.NewTenant(b)
		tenants[i].Exec(b, seed)
	}
	benchOn(b, tenants, append(affinityVariants, spreadExec), http.MethodGet, "/polls/", "", http.StatusOK)
}

// spreadExec is affinity_on with unnamed statements, parsed and planned at
// each request: against affinity_on, what PostgreSQL's re-planning of a
// cached statement under another search_path costs.
var spreadExec = variant{name: "exec", param: "default_query_exec_mode=exec", serveLimits: true}

// BenchmarkIndexAffinity is BenchmarkIndex's two tenants, affinity on and off.
func BenchmarkIndexAffinity(b *testing.B) {
	tenants := []apptest.Tenant{apptest.NewTenant(b), apptest.NewTenant(b)}
	for _, tn := range tenants {
		tn.Exec(b, seed)
	}
	benchOn(b, tenants, affinityVariants, http.MethodGet, "/polls/", "", http.StatusOK)
}

func BenchmarkIndex(b *testing.B)  { benchPage(b, http.MethodGet, "/polls/", "", http.StatusOK) }
func BenchmarkDetail(b *testing.B) { benchPage(b, http.MethodGet, "/polls/1/", "", http.StatusOK) }
func BenchmarkResults(b *testing.B) {
	benchPage(b, http.MethodGet, "/polls/1/results/", "", http.StatusOK)
}
func BenchmarkVote(b *testing.B) {
	benchPage(b, http.MethodPost, "/polls/1/vote/", "choice=1&csrfmiddlewaretoken="+token, http.StatusSeeOther)
}

const token = "bEnChMaRkToKeNbEnChMaRkToKeNbEnChMaRkToKeN0"

// benchPage serves one page from two tenants, 32 requests at a time (as
// `make bench` does), under every variant.
func benchPage(b *testing.B, method, path, form string, want int) {
	tenants := []apptest.Tenant{apptest.NewTenant(b), apptest.NewTenant(b)}
	for _, tn := range tenants {
		tn.Exec(b, seed)
	}
	benchOn(b, tenants, variants, method, path, form, want)
}

// benchOn serves one page from tenants in turn, 32 requests at a time, under
// each variant.
func benchOn(b *testing.B, tenants []apptest.Tenant, variants []variant, method, path, form string, want int) {
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			h, db := newHandler(b, v)
			b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0)))
			b.ReportAllocs()
			b.ResetTimer()
			// CPU per request, polls' and PostgreSQL's: steadier than ns/op
			// when other work shares the machine.
			self, pg := procstat.Process(os.Getpid()), procstat.Postgres()
			defer func() {
				n := float64(b.N)
				b.ReportMetric(float64((procstat.Process(os.Getpid())-self).Microseconds())/n, "cpu-µs/op")
				b.ReportMetric(float64((procstat.Postgres()-pg).Microseconds())/n, "pg-cpu-µs/op")
				if db.Affinity != nil {
					s, _ := db.Affinity.Stats()
					if taken := s.Hits + s.Spills + s.Fresh; taken > 0 {
						b.ReportMetric(100*float64(s.Hits)/float64(taken), "affinity-hit-%")
					}
				}
			}()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					i++
					var body io.Reader
					if form != "" {
						body = strings.NewReader(form)
					}
					req := httptest.NewRequest(method, path, body)
					req.Host = tenants[i%len(tenants)].Domain
					req.Header.Set("Cookie", "csrftoken="+token)
					if form != "" {
						req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					}
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != want {
						b.Errorf("%s %s: got %d, want %d: %s", method, path, rec.Code, want, rec.Body)
						return
					}
				}
			})
		})
	}
}

// newHandler builds the application exactly as `polls serve` does, on a
// database handle of its own built the way v says.
func newHandler(b *testing.B, v variant) (http.Handler, *database.DB) {
	b.Helper()
	ctx := context.Background()
	url := apptest.URL(b)
	if v.param != "" {
		url += "&" + v.param
		if !strings.Contains(apptest.URL(b), "?") {
			url = apptest.URL(b) + "?" + v.param
		}
	}
	o := database.Defaults(20)
	o.Affinity, o.PipelineScope = !v.affinityOff, !v.pipelineOff
	db, err := database.OpenWith(ctx, url, o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	level := slog.LevelInfo
	if v.quiet {
		level = slog.LevelWarn
	}
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: level}))
	resolver := tenant.NewResolver(db.SQL, url, log)
	if err := resolver.Reload(ctx); err != nil {
		b.Fatal(err)
	}
	set, err := views.Parse()
	if err != nil {
		b.Fatal(err)
	}
	deps := web.Deps{DB: db, Resolver: resolver, Views: set, Log: log}
	if v.serveLimits {
		deps.Limits = web.LimitsFrom(config.Default())
	}
	return web.New(deps), db
}

type gormDB = gorm.DB
