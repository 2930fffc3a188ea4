// Package pgbouncer runs Debian's PgBouncer in transaction pooling mode in front
// of a PostgreSQL server, for the tests and benchmarks that prove polls works
// behind it.
package pgbouncer

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"polls/internal/proc"
)

// Install is the one line that installs PgBouncer on Debian.
const Install = "apt-get install -y pgbouncer"

// PgBouncer is a running PgBouncer in transaction mode.
type PgBouncer struct {
	proc *proc.Process
	URL  string // what polls and the baseline connect to
}

// Start writes a config into dir and starts PgBouncer on a free
// loopback port, pooling poolSize server connections for database polls. As
// root it runs as the account that owns the server's socket (PgBouncer
// refuses to run as root, and the socket directory is private to that account).
func Start(ctx context.Context, dir, pgURL string, poolSize int) (*PgBouncer, error) {
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		bin = "/usr/sbin/pgbouncer"
		if _, err := os.Stat(bin); err != nil {
			return nil, fmt.Errorf("pgbouncer not found; install it with: %s", Install)
		}
	}
	cfg, err := pgconn.ParseConfig(pgURL)
	if err != nil {
		return nil, err
	}
	addr, err := proc.FreeAddr()
	if err != nil {
		return nil, err
	}
	host, port, _ := net.SplitHostPort(addr)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ini := fmt.Sprintf(`[databases]
polls = host=%s port=%d dbname=%s user=%s

[pgbouncer]
listen_addr = %s
listen_port = %s
unix_socket_dir =
auth_type = trust
auth_file = %s
pool_mode = transaction
default_pool_size = %d
max_client_conn = 1000
max_db_connections = %d
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = %s
pidfile = %s
`, cfg.Host, cfg.Port, cfg.Database, cfg.User, host, port, filepath.Join(dir, "users.txt"),
		poolSize, poolSize, filepath.Join(dir, "pgbouncer.log"), filepath.Join(dir, "pgbouncer.pid"))
	files := map[string]string{"pgbouncer.ini": ini, "users.txt": fmt.Sprintf("%q \"\"\n", cfg.User)}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			return nil, err
		}
	}
	args := []string{filepath.Join(dir, "pgbouncer.ini")}
	if os.Geteuid() == 0 { // PgBouncer refuses to run as root
		owner, err := runAs(cfg.Host)
		if err != nil {
			return nil, err
		}
		if err := os.Chown(dir, int(owner.uid), int(owner.gid)); err != nil {
			return nil, err
		}
		args = append([]string{"-u", owner.name}, args...)
	}
	cmd := exec.Command(bin, args...)
	logPath := filepath.Join(dir, "stderr.log")
	out, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer out.Close() // the child keeps its own descriptor
	cmd.Stdout, cmd.Stderr = out, out
	p, err := proc.Start(cmd)
	if err != nil {
		return nil, fmt.Errorf("start pgbouncer: %w", err)
	}
	b := &PgBouncer{proc: p, URL: fmt.Sprintf("postgres://%s@%s/polls?sslmode=disable", cfg.User, addr)}
	if err := p.WaitReady(ctx, 10*time.Second, 50*time.Millisecond, func() bool { return proc.Listening(addr) }); err != nil {
		b.Stop()
		log, _ := os.ReadFile(logPath)
		return nil, fmt.Errorf("pgbouncer on %s: %w\n%s", addr, err, log)
	}
	return b, nil
}

// Stop ends PgBouncer and waits for it.
func (b *PgBouncer) Stop() { b.proc.Stop(syscall.SIGTERM, 10*time.Second) }

type account struct {
	name     string
	uid, gid uint32
}

// runAs picks the account PgBouncer runs as under root: the owner of the
// server's socket directory (the only one that may enter it), or nobody for a
// server reached over TCP.
func runAs(host string) (account, error) {
	if strings.HasPrefix(host, "/") {
		return socketOwner(host)
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		return account{}, err
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return account{name: u.Username, uid: uint32(uid), gid: uint32(gid)}, nil
}

// socketOwner is the account that owns the server's socket directory.
func socketOwner(dir string) (account, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return account{}, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return account{}, fmt.Errorf("cannot tell who owns %s", dir)
	}
	u, err := user.LookupId(strconv.FormatUint(uint64(st.Uid), 10))
	if err != nil {
		return account{}, err
	}
	return account{name: strings.TrimSpace(u.Username), uid: st.Uid, gid: st.Gid}, nil
}
