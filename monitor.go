package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/uptop-dev/uptop/config"
	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// monitor is the shared probe loop feeding one store: what watch, demo and
// serve all run underneath their views.
type monitor struct {
	store *store.Store
	sched *probe.Scheduler
	push  *probe.PushBook // heartbeats of push services, fed by statusd
	wg    sync.WaitGroup
	stop  context.CancelFunc
}

type monitorOptions struct {
	dataPath string // "" = the default state file
	node     string // "" = the hostname
	logger   *slog.Logger
	// receivePushes: this process serves /api/v1/push (serve with [http]),
	// so push services are judged by their heartbeats. Elsewhere they say
	// that only uptop serve can know.
	receivePushes bool
}

// startMonitor opens the store and starts the scheduler in the background.
func startMonitor(ctx context.Context, cfg *config.File, opt monitorOptions, e *env) (*monitor, error) {
	setMemoryBudget(cfg, e.getenv)
	path := dataPath(opt.dataPath, e)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create the data directory: %w (set --data to a writable file)", err)
	}
	node := opt.node
	if node == "" {
		node, _ = os.Hostname()
	}
	_, _, windows, _ := cfg.AlertOptions()
	st, err := store.Open(cfg.Specs(), store.Options{
		Path:          path,
		Node:          node,
		Logger:        opt.logger,
		RetainRaw:     cfg.Retention.Raw.Duration,
		RetainRollups: cfg.Retention.Rollups.Duration,
		InMaintenance: maintenanceFunc(windows),
	})
	if err != nil {
		return nil, fmt.Errorf("open the history at %s: %w", path, err)
	}
	push := probe.NewPushBook(nil)
	registry := probe.NewRegistry()
	if opt.receivePushes {
		registry["push"] = probe.NewPushFactory(push)
	}
	sched, err := probe.NewScheduler(cfg.Targets(), st, probe.SchedulerOptions{
		Registry:    registry,
		Concurrency: cfg.Concurrency,
		Node:        node,
		Logger:      opt.logger,
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	m := &monitor{store: st, sched: sched, push: push, stop: cancel}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		if err := sched.Run(ctx); err != nil && ctx.Err() == nil {
			opt.logger.Error("probe loop stopped", "err", err)
		}
	}()
	return m, nil
}

// Close stops the probe loop, waits for checks in flight, then flushes the
// store so nothing measured is lost.
func (m *monitor) Close() error {
	m.stop()
	m.wg.Wait()
	return m.store.Close()
}

// localSource is the TUI's view of this process: the store, plus re-checks
// through the scheduler.
type localSource struct {
	*store.Store
	sched *probe.Scheduler
}

func (s localSource) Recheck(id string) error { return s.sched.RunNow(id) }
