package main

import (
	"fmt"
	"strings"
)

// affinitySources are the sources of polls_db_affinity_takes_total, in the
// order printed.
var affinitySources = []string{"hit", "spill", "fresh", "handoff_home", "handoff_other"}

// affinityTakes reads how many connections polls' tenant transactions took
// so far, by source; nil when polls does not report them (affinity off).
func affinityTakes(metricsAddr string) map[string]int64 {
	takes := map[string]int64{}
	for _, s := range affinitySources {
		n := metric(metricsAddr, fmt.Sprintf(`polls_db_affinity_takes_total{source=%q}`, s))
		if n < 0 {
			return nil
		}
		takes[s] = n
	}
	return takes
}

// addTakes adds what was taken between before and after to sum (made when
// nil); nil when either reading is missing.
func addTakes(sum, before, after map[string]int64) map[string]int64 {
	if before == nil || after == nil {
		return nil
	}
	if sum == nil {
		sum = map[string]int64{}
	}
	for _, s := range affinitySources {
		sum[s] += after[s] - before[s]
	}
	return sum
}

// takesLine says, in shares of all, where the connections came from.
func takesLine(takes map[string]int64) string {
	var total int64
	for _, n := range takes {
		total += n
	}
	if total == 0 {
		return "none taken"
	}
	parts := make([]string, 0, len(affinitySources))
	for _, s := range affinitySources {
		parts = append(parts, fmt.Sprintf("%s %.0f%%", s, 100*float64(takes[s])/float64(total)))
	}
	return strings.Join(parts, ", ")
}
