package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"golang.org/x/term"

	"github.com/uptop-dev/uptop/config"
	"github.com/uptop-dev/uptop/store"
	"github.com/uptop-dev/uptop/tui"
)

type watchFlags struct {
	common
	color  string
	remote string
}

func (w *watchFlags) register(fs interface {
	StringVar(*string, string, string, string)
}) {
	fs.StringVar(&w.color, "color", "auto", "colours: auto, truecolor, 256, 16 or none (NO_COLOR is honoured)")
}

func runWatch(ctx context.Context, args []string, e *env) int {
	var w watchFlags
	fs := newFlags("watch", "the live terminal UI over the config's services", e)
	w.common.register(fs, true)
	w.register(fs)
	fs.StringVar(&w.remote, "remote", "", "watch a remote `uptop serve` at this URL instead of probing locally")
	if code, done := parse(fs, args); done {
		return code
	}
	mode, err := tui.ParseColorMode(w.color)
	if err != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", err)
		return exitConfig
	}
	if w.remote != "" {
		return watchRemote(ctx, w.remote, mode, e)
	}
	cfg, ok := loadConfig(w.config, e)
	if !ok {
		return exitConfig
	}
	return watchLocal(ctx, cfg, w.common, mode, "uptop", e)
}

// haveTerminal reports whether the TUI can run here, and says what to do
// instead when it cannot (a pipe, cron, CI).
func haveTerminal(e *env) bool {
	in, inOK := e.stdin.(*os.File)
	out, outOK := e.stdout.(*os.File)
	if inOK && outOK && term.IsTerminal(int(in.Fd())) && term.IsTerminal(int(out.Fd())) {
		return true
	}
	fmt.Fprintln(e.stderr, "uptop: the live view needs a terminal; for a plain table run `uptop check` (or `uptop check --json`)")
	return false
}

// watchLocal runs the probe loop and the TUI over it in this process.
func watchLocal(ctx context.Context, cfg *config.File, c common, mode tui.ColorMode, title string, e *env) int {
	if !haveTerminal(e) {
		return exitConfig
	}
	logger, closeLog := tuiLogger(e)
	defer closeLog()
	m, err := startMonitor(ctx, cfg, monitorOptions{dataPath: c.data, node: c.node, logger: logger}, e)
	if err != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", err)
		return exitConfig
	}
	alerts := &alertsSource{}
	stopAlerts := func() {}
	if cfg.Alerting.Watch { // [alerting] watch = true: this process alerts too
		d, stop, err := startAlerts(ctx, cfg, m.store, pageURL(cfg, ""), logger)
		if err != nil {
			fmt.Fprintf(e.stderr, "uptop: %v\n", err)
			m.Close()
			return exitConfig
		}
		alerts.set(d)
		stopAlerts = stop
	}
	model := tui.New(tuiSource(localSource{Store: m.store, sched: m.sched}, alerts, cfg.Alerting.Watch && len(cfg.Alerts) > 0),
		tui.Options{Color: mode, Title: title})
	runErr := tui.Run(ctx, model, e.stdin, e.stdout, os.Environ())
	stopAlerts() // before the store closes: the alerter writes to it
	if err := m.Close(); err != nil {
		logger.Error("close the store", "err", err)
	}
	if runErr != nil {
		fmt.Fprintf(e.stderr, "uptop: %v\n", runErr)
		return exitDown
	}
	return exitOK
}

// tuiLogger sends logs to a file next to the history: the terminal belongs
// to the TUI while it runs.
func tuiLogger(e *env) (*slog.Logger, func()) {
	path := filepath.Join(filepath.Dir(store.DefaultPath(e.getenv)), "uptop.log")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil)), func() {}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil)), func() {}
	}
	return slog.New(slog.NewTextHandler(f, nil)), func() { f.Close() }
}
