package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"polls/app/config"
	"polls/app/database"
	"polls/app/embeddedpg"
)

// Invocation is one run of a command: its environment and the --config flag.
type Invocation struct {
	Env
	ConfigPath string
}

// config loads the settings; a bad setting is exit status 2.
func (inv *Invocation) config() (config.Config, error) {
	path, required := inv.ConfigPath, true
	if path == "" {
		path, required = "config.yaml", false
	}
	cfg, err := config.Load(path, required, inv.Getenv)
	if err != nil {
		return cfg, &ExitError{Code: 2, Err: err}
	}
	return cfg, nil
}

// open connects to the configured database, first starting the private
// PostgreSQL when no URL is configured. The pool of `serve` uses
// database.url (PgBouncer, say) and keeps database.session_url for LISTEN and
// migrations; every other command works on session_url alone, since it holds
// session advisory locks. close undoes it.
func open(ctx context.Context, cfg config.Config, log *slog.Logger, serving bool) (db *database.DB, close func(), err error) {
	url, sessionURL := cfg.Database.URL, cfg.Database.SessionURL
	if sessionURL == "" {
		sessionURL = url
	}
	switch {
	case !serving:
		url = sessionURL
	case cfg.BehindPooler():
		// The pooler keeps no prepared statement across transactions.
		url = database.ForTransactionPooler(url)
	}
	stop := func() {}
	if url == "" {
		srv, err := startPrivate(ctx, cfg.Database.DataDir, log)
		if err != nil {
			return nil, nil, err
		}
		stop = func() {
			if err := srv.Stop(context.WithoutCancel(ctx)); err != nil {
				log.Warn("stop private PostgreSQL", "err", err)
			}
		}
		if err := srv.CreateDatabase(ctx, "polls"); err != nil {
			stop()
			return nil, nil, fmt.Errorf("create database polls: %w", err)
		}
		url = srv.URL("polls")
		sessionURL = url
		log.Debug("using private PostgreSQL", "data_dir", cfg.Database.DataDir)
	}
	db, err = database.OpenWith(ctx, url, database.Options{MaxConns: cfg.PoolSize(),
		PipelineScope: cfg.Database.PipelineScope, Affinity: cfg.Database.Affinity, CommitBehind: cfg.Database.CommitBehind})
	if err != nil {
		stop()
		return nil, nil, err
	}
	db.URL = sessionURL
	return db, func() { db.Close(); stop() }, nil
}

// startPrivate starts the private PostgreSQL in dataDir. As root, PostgreSQL
// runs as an unprivileged account that may not enter a home directory such as
// /root; then the default data dir moves to /var/lib/polls, and polls says so.
func startPrivate(ctx context.Context, dataDir string, log *slog.Logger) (*embeddedpg.Server, error) {
	srv, err := embeddedpg.Start(ctx, embeddedpg.Options{DataDir: dataDir})
	if errors.Is(err, embeddedpg.ErrUnreachableDataDir) && dataDir == config.Default().Database.DataDir {
		abs, _ := filepath.Abs(dataDir)
		sum := sha256.Sum256([]byte(abs))
		moved := filepath.Join("/var/lib/polls", hex.EncodeToString(sum[:6]), "pgdata")
		log.Warn("the private PostgreSQL cannot run inside this directory as root; using another data dir (set database.data_dir to choose)",
			"data_dir", moved)
		srv, err = embeddedpg.Start(ctx, embeddedpg.Options{DataDir: moved})
	}
	switch {
	case errors.Is(err, embeddedpg.ErrNoBinaries):
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("start private PostgreSQL in %s: %w", dataDir, err)
	}
	return srv, nil
}

// newLogger builds the process's one logger.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// OSEnv is the real environment, for main.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}
