package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

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
// PostgreSQL when no URL is configured. close undoes it.
func open(ctx context.Context, cfg config.Config, log *slog.Logger) (db *database.DB, close func(), err error) {
	url := cfg.Database.URL
	stop := func() {}
	if url == "" {
		srv, err := embeddedpg.Start(ctx, embeddedpg.Options{DataDir: cfg.Database.DataDir})
		if err != nil {
			if errors.Is(err, embeddedpg.ErrNoBinaries) {
				return nil, nil, err
			}
			return nil, nil, fmt.Errorf("start private PostgreSQL in %s: %w", cfg.Database.DataDir, err)
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
		log.Debug("using private PostgreSQL", "data_dir", cfg.Database.DataDir)
	}
	db, err = database.Open(ctx, url, cfg.Database.MaxConns)
	if err != nil {
		stop()
		return nil, nil, err
	}
	return db, func() { db.Close(); stop() }, nil
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
