package database

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"
)

// Probe checks that PostgreSQL answers, on a connection of its own: a
// readiness check must not queue behind visitors for a pool connection, nor
// be told "ready" by a pool that only still has idle connections.
type Probe struct {
	URL string

	mu   sync.Mutex
	conn *pgx.Conn
}

// Check pings PostgreSQL, connecting first if needed; a failed connection is
// dropped so that the next check connects afresh.
func (p *Probe) Check(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conn == nil || p.conn.IsClosed() {
		conn, err := pgx.Connect(ctx, p.URL)
		if err != nil {
			return err
		}
		p.conn = conn
	}
	if err := p.conn.Ping(ctx); err != nil {
		p.conn.Close(context.WithoutCancel(ctx))
		p.conn = nil
		return err
	}
	return nil
}

// Close closes the probe's connection.
func (p *Probe) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conn != nil {
		p.conn.Close(context.Background())
		p.conn = nil
	}
}
