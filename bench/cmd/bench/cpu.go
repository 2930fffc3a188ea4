package main

import (
	"time"

	"polls/bench/procstat"
)

// cpuUse is CPU time spent by the server under test and by the benchmark's
// PostgreSQL (all its processes: the backends serving the server's pool, and
// the background ones; not other clusters on the machine).
type cpuUse struct{ server, postgres time.Duration }

func (a cpuUse) sub(b cpuUse) cpuUse {
	return cpuUse{server: a.server - b.server, postgres: a.postgres - b.postgres}
}

// cpuNow reads the CPU time used so far by pid and by the PostgreSQL cluster
// in pgData.
func cpuNow(pid int, pgData string) cpuUse {
	return cpuUse{server: procstat.Process(pid), postgres: procstat.Cluster(pgData)}
}
