package embeddedpg

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

const (
	// port only names the socket file (.s.PGSQL.5432): there is no TCP
	// listener, so it cannot clash with a system server on 5432.
	port       = "5432"
	socketFile = ".s.PGSQL." + port
	// maxSocketPath is the longest usable unix socket path: sun_path holds
	// 108 bytes on Linux but 104 on macOS/BSD, including the final NUL.
	maxSocketPath = 103
)

// socketDirFor chooses where the server's unix socket lives:
// <DataDir>/sock normally, so the socket goes away with the data; but when
// that path would be too long for a unix socket, or holds a ',' or '"'
// (unix_socket_directories and libpq/pgx split host lists on commas), a
// short per-data-dir directory under the temp dir is used instead:
// <os.TempDir()>/polls-pg-<first 16 hex digits of sha256(DataDir)>.
func socketDirFor(dataDir string) string {
	dir := filepath.Join(dataDir, "sock")
	if socketDirUsable(dir) {
		return dir
	}
	sum := sha256.Sum256([]byte(dataDir))
	name := "polls-pg-" + hex.EncodeToString(sum[:])[:16]
	if dir = filepath.Join(os.TempDir(), name); socketDirUsable(dir) {
		return dir
	}
	return filepath.Join("/tmp", name)
}

func socketDirUsable(dir string) bool {
	return len(dir)+1+len(socketFile) <= maxSocketPath && !strings.ContainsAny(dir, ",\"")
}

// ensureSocketDir creates the socket directory with mode 0700, owned by the
// server account. Together with the missing TCP listener, this is what makes
// trust authentication safe: only that account (and root) can connect.
// A pre-existing directory is accepted only if it is a real directory owned
// by the account (or by root, from an interrupted run), as a shared temp
// dir could hold one planted by another user.
func (s *Server) ensureSocketDir() error {
	dir := s.socketDir
	if err := os.Mkdir(dir, 0o700); err != nil && !os.IsExist(err) {
		return fmt.Errorf("embeddedpg: socket dir: %w", err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("embeddedpg: socket dir: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok {
		return fmt.Errorf("embeddedpg: socket dir %s is not a directory", dir)
	}
	want := uint32(os.Geteuid())
	if s.acct != nil {
		want = s.acct.uid
	}
	if st.Uid != want && st.Uid != 0 {
		return fmt.Errorf("embeddedpg: socket dir %s belongs to uid %d, not uid %d; remove it", dir, st.Uid, want)
	}
	if err := s.acct.chown(dir); err != nil {
		return fmt.Errorf("embeddedpg: socket dir: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("embeddedpg: socket dir: %w", err)
	}
	return s.acct.checkTraversable(dir)
}
