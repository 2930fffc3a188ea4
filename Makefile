# make test   every test, against a private PostgreSQL the tests start themselves
# make bench  polls against the baseline server (bench/baseline); see README, "Benchmarks"
#             BENCHFLAGS passes options, e.g. make bench BENCHFLAGS="-tenants 10000"

GO ?= go
BENCHFLAGS ?=

.PHONY: test bench bench-profile bench-provision bench-migrate

test:
	$(GO) test ./...

# wrk is used when installed (apt-get install -y wrk); else the Go load generator.
bench:
	@command -v wrk >/dev/null 2>&1 || echo "bench: wrk not found, using the Go load generator (to use wrk: apt-get install -y wrk)"
	$(GO) run ./bench/cmd/bench $(BENCHFLAGS)

# Tenant creation from the template and by replaying migrations (bench/cmd/provision),
# e.g. make bench-provision BENCHFLAGS="-tenants 10000 -modes template -workers 2".
bench-provision:
	$(GO) run ./bench/cmd/provision $(BENCHFLAGS)

# polls migrate over many tenants (bench/cmd/migrate): a no-op run, then one new
# migration adding a column to every tenant, e.g. make bench-migrate BENCHFLAGS="-jobs 4".
bench-migrate:
	$(GO) run ./bench/cmd/migrate $(BENCHFLAGS)

# CPU and allocation profiles of the request path, in-process (see bench/handler_bench_test.go).
# Profiles land in bench/out (ignored by git).
bench-profile:
	mkdir -p bench/out
	$(GO) test ./bench -run '^$$' -bench 'Index/polls' -benchtime 10s -outputdir bench/out \
		-cpuprofile cpu.out -memprofile mem.out -o bench/out/bench.test
	$(GO) tool pprof -top -nodecount 25 bench/out/bench.test bench/out/cpu.out
