package embeddedpg

// The server's life as a caller sees it: Options, Start, URL and Stop.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"polls/internal/proc"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultDataDir is where `polls serve` keeps its private cluster when no
// database URL is configured (relative to the working directory).
const DefaultDataDir = ".polls/pgdata"

// defaultStartTimeout applies when Start's context has no deadline, so a
// server that never becomes ready cannot block the caller forever.
const defaultStartTimeout = 2 * time.Minute

// Options configures a private server.
type Options struct {
	// DataDir holds the cluster; required. It is created (mode 0700) if
	// missing, together with its missing parents (0755), and reused with its
	// data when it already holds a cluster. Relative paths are resolved
	// against the working directory. DataDir+".lock" is created next to it.
	DataDir string
	// Log receives the output of initdb and pg_ctl; nil discards it (errors
	// still quote it). The server's own log always goes to
	// <DataDir>/log/postgres.log (see the package doc).
	Log io.Writer
	// Fast trades crash safety for speed (fsync, synchronous_commit and
	// full_page_writes off). For throw-away test clusters only: an OS crash
	// can corrupt the data.
	Fast bool
	// Database, if set, is created by Start when absent.
	Database string
}

// Server is a running private PostgreSQL.
type Server struct {
	dataDir   string
	socketDir string
	binDir    string
	acct      *account // nil: the binaries run as this process's user
	log       io.Writer
	fast      bool

	child *proc.Process // nil when we adopted a server started earlier

	users *os.File // shared lock on DataDir+".users" while this Server uses the server

	mu      sync.Mutex
	stopped bool
}

// Start initialises DataDir if needed (UTF8, C locale, superuser
// "postgres", trust auth) and starts the server, or reuses one already
// running on DataDir, and returns once it accepts connections. Without a
// deadline on ctx it gives up after 2 minutes. The server keeps running
// after ctx ends; only Stop ends it.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.DataDir == "" {
		return nil, errors.New("embeddedpg: Options.DataDir is required")
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultStartTimeout)
		defer cancel()
	}
	dataDir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, fmt.Errorf("embeddedpg: %w", err)
	}
	if real, err := filepath.EvalSymlinks(dataDir); err == nil {
		dataDir = real // a symlinked data dir is used where it really is
	}
	binDir, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	s := &Server{dataDir: dataDir, socketDir: socketDirFor(dataDir), binDir: binDir, log: opts.Log, fast: opts.Fast}
	if err := mkdirParents(filepath.Dir(dataDir)); err != nil {
		return nil, err
	}
	unlock, err := lockDataDir(ctx, dataDir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	if err := s.joinUsers(); err != nil {
		return nil, err
	}
	if opts.Database != "" {
		if err := s.CreateDatabase(ctx, opts.Database); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// start does the work of Start while holding the data dir lock.
func (s *Server) start(ctx context.Context) (err error) {
	if s.acct, err = serverAccount(s.dataDir); err != nil {
		return err
	}
	if err := s.acct.checkTraversable(filepath.Dir(s.dataDir)); err != nil {
		return err
	}
	if err := s.matchClusterVersion(ctx); err != nil {
		return err
	}
	if adopted, err := s.adoptRunning(ctx); adopted || err != nil {
		return err
	}
	if err := s.initCluster(ctx); err != nil {
		return err
	}
	if err := s.ensureDataDirMode(); err != nil {
		return err
	}
	s.socketDir = socketDirFor(s.dataDir) // adoptRunning may have read an old one
	if err := s.ensureSocketDir(); err != nil {
		return err
	}
	return s.launch(ctx)
}

// URL returns a pgx/libpq connection URL for database over the unix socket,
// e.g. postgres://postgres@/polls?host=/abs/sockdir&port=5432&sslmode=disable.
// The port is explicit so a PGPORT in the environment cannot redirect it.
func (s *Server) URL(database string) string {
	host := strings.ReplaceAll(url.QueryEscape(s.socketDir), "%2F", "/")
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(superuser),
		Path:     "/" + database,
		RawQuery: "host=" + host + "&port=" + port + "&sslmode=disable",
	}
	return u.String()
}

// defaultStopTimeout applies when Stop's context has no deadline.
const defaultStopTimeout = time.Minute

// Stop shuts the server down with pg_ctl's fast mode (open transactions are
// rolled back, clients disconnected) and waits until it is gone, unless
// another process still uses it (see users.go). It is idempotent, and it also
// stops a server this Server adopted from a crashed process. A server that is
// already down is not an error.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return nil
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultStopTimeout)
		defer cancel()
	}
	unlock, err := lockDataDir(ctx, s.dataDir)
	if err != nil {
		return err
	}
	defer unlock()
	if !s.leaveUsers() {
		s.stopped = true
		return nil
	}
	if s.running() {
		err := s.runTool(ctx, "pg_ctl", "stop", "-D", s.dataDir, "-m", "fast", "-w", "-t", timeoutSeconds(ctx))
		if err != nil && s.running() {
			return err
		}
	}
	if s.child != nil { // our own child: reap it
		select {
		case <-s.child.Exited():
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	// A fallback socket dir lives outside DataDir: do not litter the temp
	// dir with it. Remove (not RemoveAll) keeps it if anything is left in it.
	if filepath.Dir(s.socketDir) != s.dataDir {
		_ = os.Remove(s.socketDir)
	}
	s.stopped = true
	return nil
}

// running reports whether a server holds the data dir: postgres removes
// postmaster.pid as the very last step of shutting down, and a pid file
// whose process is gone (a crashed server) does not count.
func (s *Server) running() bool {
	pf, ok := s.readPIDFile()
	if !ok {
		return false
	}
	state := postmasterState(pf.pid, s.dataDir)
	return state == procOurs || state == procUnknown
}

// timeoutSeconds converts ctx's deadline into pg_ctl's -t argument.
func timeoutSeconds(ctx context.Context) string {
	secs := 60.0
	if d, ok := ctx.Deadline(); ok {
		secs = math.Ceil(time.Until(d).Seconds())
	}
	return strconv.Itoa(max(1, int(secs)))
}
