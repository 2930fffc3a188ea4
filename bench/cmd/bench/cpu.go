package main

import (
	"time"

	"polls/bench/procstat"
)

// cpuUse is CPU time spent by the server under test and by PostgreSQL (all
// its processes: the backends serving both servers' pools, and the rest).
type cpuUse struct{ server, postgres time.Duration }

func (a cpuUse) sub(b cpuUse) cpuUse {
	return cpuUse{server: a.server - b.server, postgres: a.postgres - b.postgres}
}

// cpuNow reads the CPU time used so far by pid and by PostgreSQL.
func cpuNow(pid int) cpuUse {
	return cpuUse{server: procstat.Process(pid), postgres: procstat.Postgres()}
}
