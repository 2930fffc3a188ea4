package database

import (
	"database/sql"
	"slices"
)

// Which connection a tenant gets when its last one is busy.
//
// Every key ranks every connection in an order of its own, fixed for the
// connection's life: rendezvous hashing of the key and the connection's
// random id (Ahead.id). A spill takes the first of that order among the
// parked connections; a connection given back goes, among the queued Takes,
// to one whose key ranks it first or second (its "home") before the oldest.
// So with many tenants each keeps to a few connections of the pool instead of
// visiting them all. That matters for PostgreSQL: a backend builds its
// catalog caches (the tables, indexes and role of each schema it meets) once
// per schema, at about a millisecond each, and keeps them; 1,000 busy tenants
// over 20 connections that each meet them all cost 20,000 such builds and as
// many caches held, and most requests meet a cold one for a long while.
// Handing out connections in database/sql's order does exactly that.

// maxPassed bounds how many connections may be handed to younger queued
// Takes (of the same key, or at home) while the oldest waits: a tenant whose
// own connections are busy still gets the next one after that many.
const maxPassed = 8

// home returns the index of the parked connection that key ranks first; a.mu
// is held.
func (a *Affinity) home(key string) int {
	h := keyHash(key)
	best, bestScore := 0, uint64(0)
	for i := range a.parked {
		if s := mix64(h ^ a.parked[i].id); i == 0 || s > bestScore {
			best, bestScore = i, s
		}
	}
	return best
}

// homesOf returns the ids of the two connections held that key ranks first
// (0 where fewer are held); a.mu is held.
func (a *Affinity) homesOf(key string) [2]uint64 {
	h := keyHash(key)
	var homes [2]uint64
	var scores [2]uint64
	n := 0
	for _, id := range a.ids {
		s := mix64(h ^ id)
		switch {
		case n == 0 || s > scores[0]:
			homes[1], scores[1] = homes[0], scores[0]
			homes[0], scores[0] = id, s
		case n == 1 || s > scores[1]:
			homes[1], scores[1] = id, s
		}
		n++
	}
	return homes
}

// choose removes from the queue, and returns, the Take to hand connection id
// to, which last served key: the oldest if it was passed over maxPassed
// times, else the oldest of the same key, else the oldest at home, else the
// oldest; those older than the one chosen count one more pass. a.mu is held
// and the queue is not empty.
func (a *Affinity) choose(id uint64, key string) *waiter {
	atHome := func(w *waiter) bool { return w.key == key || w.homes[0] == id || w.homes[1] == id }
	i := 0
	if a.queue[0].passed < maxPassed {
		if j := slices.IndexFunc(a.queue, func(w *waiter) bool { return w.key == key }); j >= 0 {
			i = j
		} else if j := slices.IndexFunc(a.queue, atHome); j >= 0 {
			i = j
		}
	}
	w := a.queue[i]
	if atHome(w) {
		a.stats.Home++
	}
	a.stats.Handoffs++
	for _, older := range a.queue[:i] {
		older.passed++
	}
	a.queue = slices.Delete(a.queue, i, i+1)
	return w
}

// connID returns the id of c's connection (its Ahead's), 0 for a pool not
// opened by OpenConfig.
func connID(c *sql.Conn) uint64 {
	var id uint64
	_ = c.Raw(func(dc any) error {
		if ah := AheadOf(dc); ah != nil {
			id = ah.id
		}
		return nil
	})
	return id
}

// keyHash is the 64-bit FNV-1a hash of key.
func keyHash(key string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= 1099511628211
	}
	return h
}

// mix64 scrambles x so that nearby inputs give unrelated outputs (the
// finaliser of SplitMix64).
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
