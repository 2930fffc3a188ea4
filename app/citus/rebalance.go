package citus

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Status is a rebalance job's state, as citus_rebalance_status reports it.
type Status struct {
	Job   int64
	State string         // scheduled, running, finished, failed, cancelled, ...
	Tasks map[string]int // tasks by state: done, runnable, running, error, ...
}

// Done reports whether the job has ended, well or not.
func (s Status) Done() bool {
	switch s.State {
	case "finished", "failed", "cancelled":
		return true
	}
	return false
}

func (s Status) String() string {
	keys := make([]string, 0, len(s.Tasks))
	total := 0
	for k, n := range s.Tasks {
		keys = append(keys, k)
		total += n
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, s.Tasks[k])
	}
	return fmt.Sprintf("rebalance job %d: %s, %d of %d moves done (%s)", s.Job, s.State, s.Tasks["done"], total, strings.Join(parts, ", "))
}

// StartRebalance starts a background rebalance with citus_rebalance_start,
// which moves whole distributed schemas (each a colocation group) until the
// workers hold about as many shards each. started is false when there is
// nothing to move.
func StartRebalance(ctx context.Context, db *sql.DB) (job int64, started bool, err error) {
	var id sql.NullInt64
	err = db.QueryRowContext(ctx, `SELECT citus_rebalance_start()`).Scan(&id)
	if err != nil {
		return 0, false, fmt.Errorf("start the rebalance: %w", err)
	}
	return id.Int64, id.Valid, nil
}

// RebalanceStatus reads the state of the latest rebalance job.
func RebalanceStatus(ctx context.Context, db *sql.DB) (Status, error) {
	var s Status
	var details []byte
	err := db.QueryRowContext(ctx, `SELECT job_id, state::text, details FROM citus_rebalance_status()`).Scan(&s.Job, &s.State, &details)
	if err != nil {
		return s, fmt.Errorf("rebalance status: %w", err)
	}
	var d struct {
		Counts map[string]int `json:"task_state_counts"`
	}
	if len(details) > 0 {
		if err := json.Unmarshal(details, &d); err != nil {
			return s, fmt.Errorf("rebalance status: %w", err)
		}
	}
	s.Tasks = d.Counts
	return s, nil
}

// WaitRebalance reports the job's status each time it changes, checking
// every interval, until it ends or ctx is done; it returns the last status.
func WaitRebalance(ctx context.Context, db *sql.DB, interval time.Duration, report func(Status)) (Status, error) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	last := ""
	for {
		s, err := RebalanceStatus(ctx, db)
		if err != nil {
			return s, err
		}
		if line := s.String(); line != last {
			report(s)
			last = line
		}
		if s.Done() {
			return s, nil
		}
		select {
		case <-ctx.Done():
			return s, ctx.Err()
		case <-tick.C:
		}
	}
}
