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
)

// Install is the one line that installs PgBouncer on Debian.
const Install = "apt-get install -y pgbouncer"

// PgBouncer is a running PgBouncer in transaction mode.
type PgBouncer struct {
	cmd  *exec.Cmd
	done chan error
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
	addr, err := freeAddr()
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
	out, err := os.Create(filepath.Join(dir, "stderr.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start pgbouncer: %w", err)
	}
	b := &PgBouncer{cmd: cmd, done: make(chan error, 1),
		URL: fmt.Sprintf("postgres://%s@%s/polls?sslmode=disable", cfg.User, addr)}
	go func() { b.done <- cmd.Wait(); out.Close() }()
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return b, nil
		}
		select {
		case err := <-b.done:
			log, _ := os.ReadFile(filepath.Join(dir, "stderr.log"))
			return nil, fmt.Errorf("pgbouncer exited: %v\n%s", err, log)
		case <-ctx.Done():
			b.Stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			b.Stop()
			return nil, fmt.Errorf("pgbouncer did not listen on %s", addr)
		}
	}
}

// Stop ends PgBouncer and waits for it.
func (b *PgBouncer) Stop() {
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.done:
	case <-time.After(10 * time.Second):
		_ = b.cmd.Process.Kill()
		<-b.done
	}
}

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

// freeAddr returns a loopback address with a port nobody listens on now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
