package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"polls/bench/procstat"
)

// latestSQL is the index's query as polls sends it (models.LatestQuestions).
const latestSQL = `SELECT id, question_text, pub_date FROM polls_question WHERE pub_date <= $1
		ORDER BY pub_date DESC, id DESC LIMIT $2`

// aloneLayout is one way of spreading tenants over the connections: pick
// returns the schema connection i scopes its next transaction to.
type aloneLayout struct {
	name string
	pick func(i int, r *rand.Rand) string
}

// postgresAlone measures PostgreSQL's own cost of the index's transaction,
// with no web server at all: a minimal pgx client sends BEGIN READ ONLY, the
// search_path, the index's query and COMMIT as one batch of prepared
// statements, on as many connections as polls' pool (-max-conns). It is the ceiling of polls' spread
// figure: PostgreSQL plans a prepared statement again whenever the
// search_path differs from the one it was planned under, and a backend's
// catalog caches grow with every schema it meets, so its cost per
// transaction rises with the tenants each connection serves, whatever the
// client does.
//
// polls is polls' index on the two tenants: from its CPU per request, and
// PostgreSQL's extra cost per transaction when any tenant meets any
// connection, it prints the spread figure that extra cost alone allows polls
// on this machine (CPU-bound, so requests/s go as the inverse of the CPU
// per request).
func (e *benchEnv) postgresAlone(ctx context.Context, pgURL string, two, spread []benchTenant, polls summary) error {
	// As many connections as polls' pool, so that PostgreSQL holds as many
	// backends as under polls.
	aloneConns := e.o.maxConns
	layouts := []aloneLayout{{fmt.Sprintf("%d tenants, each connection keeps to one", len(two)),
		func(i int, _ *rand.Rand) string { return two[i%len(two)].schema }}}
	if perConn := len(spread) / aloneConns; perConn > 0 { // a spread narrower than the pool has no such layout
		layouts = append(layouts, aloneLayout{fmt.Sprintf("%d tenants, each connection keeps to its own %d", perConn*aloneConns, perConn),
			func(i int, r *rand.Rand) string { return spread[i+aloneConns*r.IntN(perConn)].schema }})
	}
	layouts = append(layouts, aloneLayout{fmt.Sprintf("%d tenants, any tenant on any connection", len(spread)),
		func(_ int, r *rand.Rand) string { return spread[r.IntN(len(spread))].schema }})
	e.r.printf("\nPostgreSQL alone: the index's transaction from a minimal pgx client (%d connections, one batch of prepared statements each)\n", aloneConns)
	e.r.printf("%-52s %8s %12s\n", "layout", "txn/s", "PG CPU/txn")
	var firstTPS float64
	var firstCPU, lastCPU time.Duration
	for k, l := range layouts {
		tps, cpu, err := e.runAlone(ctx, pgURL, l)
		if err != nil {
			return fmt.Errorf("PostgreSQL alone, %s: %w", l.name, err)
		}
		if k == 0 {
			firstTPS, firstCPU = tps, cpu
		}
		lastCPU = cpu
		e.r.printf("%-52s %8.0f %12s   %.2f of the first\n", l.name, tps, us(cpu), tps/firstTPS)
	}
	if own := polls.cpuServer + polls.cpuPG; own > 0 {
		extra := lastCPU - firstCPU
		e.r.printf("what that leaves polls: %s per index request on %d tenants (polls %s, PostgreSQL %s) plus PostgreSQL's %s more "+
			"when any tenant meets any connection: at most %.2f of the two-tenant figure\n",
			us(own), len(two), us(polls.cpuServer), us(polls.cpuPG), us(extra), float64(own)/float64(own+extra))
	}
	return nil
}

// aloneWarmup is the least warm-up of a PostgreSQL-alone layout: fresh
// backends meeting 1,000 tenants build catalog caches for each, and their
// cost per transaction settles after about 20 seconds (the same at 40).
const aloneWarmup = 20 * time.Second

// runAlone warms layout l up (the warm-up time, at least aloneWarmup), then
// measures it for one run's duration: transactions per second and
// PostgreSQL's CPU per transaction.
func (e *benchEnv) runAlone(ctx context.Context, pgURL string, l aloneLayout) (float64, time.Duration, error) {
	conns := make([]*pgx.Conn, e.o.maxConns)
	for i := range conns {
		c, err := pgx.Connect(ctx, pgURL)
		if err != nil {
			return 0, 0, err
		}
		defer c.Close(context.Background())
		// pgx prepares a batch's statements before sending any: the query
		// is prepared now, under a tenant's search_path, so it can be.
		first := l.pick(i, rand.New(rand.NewPCG(uint64(i), 0)))
		if _, err := c.Exec(ctx, "SET search_path TO "+pgx.Identifier{first}.Sanitize()); err != nil {
			return 0, 0, err
		}
		if _, err := c.Prepare(ctx, latestSQL, latestSQL); err != nil {
			return 0, 0, err
		}
		conns[i] = c
	}
	if _, err := sendAlone(ctx, conns, l, max(e.o.warmup, aloneWarmup)); err != nil {
		return 0, 0, err
	}
	before := procstat.Cluster(e.pgData())
	start := time.Now()
	n, err := sendAlone(ctx, conns, l, e.o.duration)
	if err != nil {
		return 0, 0, err
	}
	used := procstat.Cluster(e.pgData()) - before
	took := time.Since(start)
	if n == 0 {
		return 0, 0, fmt.Errorf("no transaction completed in %v", took)
	}
	return float64(n) / took.Seconds(), used / time.Duration(n), nil
}

// sendAlone runs transactions of layout l on every connection for d and
// returns how many completed.
func sendAlone(ctx context.Context, conns []*pgx.Conn, l aloneLayout, d time.Duration) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var done atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, len(conns))
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), uint64(time.Now().UnixNano())))
			for ctx.Err() == nil {
				b := &pgx.Batch{}
				b.Queue("BEGIN READ ONLY")
				b.Queue("SELECT set_config('search_path', $1, true)", l.pick(i, r))
				b.Queue(latestSQL, time.Now(), 5)
				b.Queue("COMMIT")
				// A fresh context: the deadline must not cut a batch short,
				// which would leave the connection mid-transaction.
				if err := c.SendBatch(context.Background(), b).Close(); err != nil {
					errs[i] = err
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return done.Load(), nil
}
