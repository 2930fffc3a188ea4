package database

import (
	"database/sql"
	"fmt"
	"testing"
)

// queueOf is a queue of waiters for keys, oldest first, each at home on the
// connection ids given with it.
func queueOf(keysAndHomes ...any) []*waiter {
	var q []*waiter
	for i := 0; i < len(keysAndHomes); i += 2 {
		q = append(q, &waiter{key: keysAndHomes[i].(string), homes: [2]uint64{keysAndHomes[i+1].(uint64), 0}})
	}
	return q
}

func TestChooseHandsAConnectionToItsKeyThenItsHomeThenTheOldest(t *testing.T) {
	for _, c := range []struct {
		name  string
		queue []*waiter
		id    uint64
		key   string
		want  string
	}{
		{"the same key first", queueOf("a", uint64(1), "b", uint64(7), "c", uint64(9)), 7, "c", "c"},
		{"else a waiter at home on it", queueOf("a", uint64(1), "b", uint64(7), "c", uint64(9)), 7, "x", "b"},
		{"else the oldest", queueOf("a", uint64(1), "b", uint64(7), "c", uint64(9)), 5, "x", "a"},
	} {
		a := &Affinity{queue: c.queue}
		if got := a.choose(c.id, c.key); got.key != c.want {
			t.Errorf("%s: chose %s, want %s", c.name, got.key, c.want)
		}
	}
}

func TestChooseServesTheOldestOncePassedOverMaxPassedTimes(t *testing.T) {
	a := &Affinity{queue: queueOf("old", uint64(1))}
	for i := range maxPassed {
		a.queue = append(a.queue, &waiter{key: fmt.Sprint("young", i), homes: [2]uint64{7, 0}})
		if got := a.choose(7, "x"); got.key == "old" {
			t.Fatalf("handoff %d went to the oldest, want the younger waiter at home", i+1)
		}
	}
	a.queue = append(a.queue, &waiter{key: "young", homes: [2]uint64{7, 0}})
	if got := a.choose(7, "young"); got.key != "old" {
		t.Errorf("after %d passes the handoff went to %s, want the oldest", maxPassed, got.key)
	}
	if st := a.stats; st.Handoffs != maxPassed+1 || st.Home != maxPassed {
		t.Errorf("stats %+v, want %d handoffs, %d of them home", st, maxPassed+1, maxPassed)
	}
}

func TestEveryConnectionIsHomeToAFairShareOfKeys(t *testing.T) {
	a := &Affinity{ids: map[*sql.Conn]uint64{}}
	const conns, keys = 20, 2000
	for i := range conns {
		a.ids[new(sql.Conn)] = mix64(uint64(i) + 1)
	}
	first := map[uint64]int{}
	for k := range keys {
		homes := a.homesOf(fmt.Sprintf("tenant_%05d", k))
		if homes[0] == homes[1] || homes[0] == 0 || homes[1] == 0 {
			t.Fatalf("homes %v: want two different connections", homes)
		}
		first[homes[0]]++
	}
	for id, n := range first {
		if n < keys/conns/2 || n > keys/conns*2 {
			t.Errorf("connection %x is first home to %d of %d keys, want about %d", id, n, keys, keys/conns)
		}
	}
	if len(first) != conns {
		t.Errorf("%d connections are anyone's first home, want all %d", len(first), conns)
	}
}
