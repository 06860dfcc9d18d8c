package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"

	"golang.org/x/sync/errgroup"

	"github.com/uptop-dev/uptop/config"
	"github.com/uptop-dev/uptop/statusd"
	"github.com/uptop-dev/uptop/statusd/sshd"
	"github.com/uptop-dev/uptop/store"
	"github.com/uptop-dev/uptop/tui"
)

func runServe(ctx context.Context, args []string, e *env) int {
	var c common
	fs := newFlags("serve", "headless daemon: probes, persists, and serves the status page, API and SSH that the config enables", e)
	c.register(fs, true)
	if code, done := parse(fs, args); done {
		return code
	}
	cfg, ok := loadConfig(c.config, e)
	if !ok {
		return exitConfig
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	if cfg.HTTP == nil && hasPush(cfg) {
		logger.Warn("push services need [http] to receive heartbeats: add an [http] section, or they stay degraded")
	}
	m, err := startMonitor(ctx, cfg, monitorOptions{dataPath: c.data, node: c.node, logger: logger, receivePushes: cfg.HTTP != nil}, e)
	if err != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", err)
		return exitConfig
	}
	defer func() {
		if err := m.Close(); err != nil {
			logger.Error("close the store", "err", err)
		}
	}()
	logger.Info("probing", "services", len(cfg.Services), "config", cfg.Path)
	g, gctx := errgroup.WithContext(ctx)
	src := &alertsSource{}
	var alerts statusd.Alerts // nil (a 404) without [[alert]]
	if len(cfg.Alerts) > 0 {
		alerts = src
	}
	page, err := serveHTTP(gctx, g, cfg, m, alerts, logger)
	if err != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", err)
		return exitConfig
	}
	d, stopAlerts, err := startAlerts(ctx, cfg, m.store, pageURL(cfg, page), logger)
	if err != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", err)
		return exitConfig
	}
	defer stopAlerts() // before m.Close: the Dispatcher writes to the store
	src.set(d)
	if err := serveSSH(gctx, g, cfg, c, tuiSource(localSource{Store: m.store, sched: m.sched}, src, alerts != nil), logger, e); err != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", err)
		return exitConfig
	}
	g.Go(func() error { <-gctx.Done(); return nil })
	if err := g.Wait(); err != nil {
		logger.Error("serve stopped", "err", err)
		return exitDown
	}
	logger.Info("stopped")
	return exitOK
}

// serveHTTP starts the [http] server, if any, and returns its page URL.
func serveHTTP(ctx context.Context, g *errgroup.Group, cfg *config.File, m *monitor, alerts statusd.Alerts, logger *slog.Logger) (string, error) {
	if cfg.HTTP == nil {
		return "", nil
	}
	ln, err := net.Listen("tcp", cfg.HTTP.Listen)
	if err != nil {
		return "", fmt.Errorf("listen for [http] on %s: %w (is another uptop running? change [http] listen)", cfg.HTTP.Listen, err)
	}
	tokens, err := pushTokens(ctx, cfg, m.store)
	if err != nil {
		return "", fmt.Errorf("read the push tokens: %w", err)
	}
	var push http.Handler
	if len(tokens) > 0 {
		push = statusd.PushHandler(m.push, tokens)
	}
	h := statusd.NewHandler(m.store, statusd.Options{
		Title:       cfg.HTTP.Title,
		Description: cfg.HTTP.Description,
		ShowTargets: cfg.HTTP.ShowTargets,
		Logger:      logger,
		Version:     version,
		Alerts:      alerts,
		Push:        push,
	})
	url := "http://" + ln.Addr().String() + "/"
	logger.Info("status page", "url", url)
	g.Go(func() error { return statusd.Serve(ctx, ln, h) })
	return url, nil
}

func serveSSH(ctx context.Context, g *errgroup.Group, cfg *config.File, c common, src tui.Source, logger *slog.Logger, e *env) error {
	if cfg.SSH == nil {
		return nil
	}
	hostKey := cfg.SSH.HostKey
	if hostKey == "" {
		hostKey = filepath.Join(filepath.Dir(dataPath(c.data, e)), "ssh_host_ed25519_key")
	}
	srv, err := sshd.New(src, sshd.Options{
		Listen:         cfg.SSH.Listen,
		AuthorizedKeys: cfg.SSH.AuthorizedKeys,
		HostKeyPath:    hostKey,
		MaxSessions:    cfg.SSH.MaxSessions,
		IdleTimeout:    cfg.SSH.IdleTimeout.Duration,
		Title:          titleOf(cfg),
		Logger:         logger,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.SSH.Listen)
	if err != nil {
		return fmt.Errorf("listen for [ssh] on %s: %w (change [ssh] listen)", cfg.SSH.Listen, err)
	}
	g.Go(func() error { return srv.Serve(ctx, ln) })
	return nil
}

// dataPath is --data, else the default state file.
func dataPath(flag string, e *env) string {
	if flag != "" {
		return flag
	}
	return store.DefaultPath(e.getenv)
}

func titleOf(cfg *config.File) string {
	if cfg.HTTP != nil && cfg.HTTP.Title != "" {
		return cfg.HTTP.Title
	}
	return "uptop"
}

func hasPush(cfg *config.File) bool {
	for _, s := range cfg.Services {
		if s.Kind() == "push" {
			return true
		}
	}
	return false
}
