package tenant

import (
	"fmt"
	"testing"
)

// TestRoutesArePackedAgainAfterAQuarterChanged: batches of changes load
// their routes into slabs of their own; once they add up to a quarter of
// the table, at least repackAfter, the next batch is a full load instead.
func TestRoutesArePackedAgainAfterAQuarterChanged(t *testing.T) {
	table := func(n int) routeTable {
		routes := routeTable{}
		for i := range n {
			routes[fmt.Sprintf("t%d.test", i)] = &Site{ID: int64(i)}
		}
		return routes
	}
	for _, c := range []struct {
		routes, patched, batch int
		want                   bool
	}{
		{8000, 1500, 500, false}, // 2,000: a quarter, not more
		{8000, 1500, 501, true},
		{100, 1000, 24, false}, // a small table: repackAfter counts
		{100, 1000, 25, true},
		{0, 0, 1, false},
	} {
		r := &Resolver{routes: table(c.routes), patched: c.patched}
		if got := r.patchedEnough(c.batch); got != c.want {
			t.Errorf("%d routes, %d patched, a batch of %d: full load %v, want %v", c.routes, c.patched, c.batch, got, c.want)
		}
	}
}
