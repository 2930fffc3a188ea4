// Package embeddedpg runs a private PostgreSQL server from the locally
// installed server binaries (initdb, pg_ctl, postgres).
//
// It exists for two callers: `polls serve` when no database URL is
// configured (a persistent cluster in DefaultDataDir that keeps its data
// across runs), and the test suites (a throw-away cluster in a temp dir,
// usually with Options.Fast).
//
// What callers should know:
//
//   - No TCP: listen_addresses is empty, so the server cannot clash with a
//     system PostgreSQL on port 5432. Clients use the unix socket that URL
//     points at, in <DataDir>/sock, or, when that path is too long for a
//     unix socket (about 100 bytes), in <TMPDIR>/polls-pg-<hash of DataDir>.
//     That directory is mode 0700, owned by the account running the server,
//     which is what makes trust authentication acceptable.
//   - The superuser is "postgres", without a password.
//   - The server log is <DataDir>/log/postgres.log (one old generation is
//     kept as postgres.log.1); Options.Log only gets initdb/pg_ctl output.
//   - As root, the server runs as the "postgres" user (else "nobody"),
//     because PostgreSQL refuses to run as root. DataDir's parents must then
//     be searchable by that user; Start says which one is not.
//   - A server left running by a crashed process is reused by the next
//     Start on the same DataDir, and stopped by its Stop.
//
// The package is Unix-only (Linux, macOS, BSDs): it relies on flock(2),
// process credentials and unix sockets.
package embeddedpg
