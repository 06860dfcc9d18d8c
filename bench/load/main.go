package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

type config struct {
	services    int
	interval    time.Duration
	timeout     time.Duration
	duration    time.Duration
	listeners   int
	concurrency int
	memoryOnly  bool
	cpuProfile  string
	memProfile  string
}

func main() {
	var c config
	fleetMode := flag.Bool("fleet", false, "internal: serve the loopback fleet (the harness starts this itself)")
	flag.IntVar(&c.services, "services", 10000, "number of HTTP services to check")
	flag.DurationVar(&c.interval, "interval", 10*time.Second, "check interval of every service")
	flag.DurationVar(&c.timeout, "timeout", 5*time.Second, "check timeout (must be below the interval)")
	flag.DurationVar(&c.duration, "duration", 60*time.Second, "how long to measure")
	flag.IntVar(&c.listeners, "listeners", 50, "loopback HTTP servers in the fleet; services are spread across them")
	flag.IntVar(&c.concurrency, "concurrency", 0, "scheduler worker pool size (0 = probe.DefaultConcurrency)")
	flag.BoolVar(&c.memoryOnly, "memory-only", false, "run the store without SQLite persistence (for comparison)")
	flag.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the measured window to this file")
	flag.StringVar(&c.memProfile, "memprofile", "", "write a heap profile at the end of the window to this file")
	flag.Parse()

	var err error
	if *fleetMode {
		err = serveFleet(c.listeners)
	} else {
		err = run(c)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	if c.services < 1 || c.listeners < 1 || c.interval <= 0 || c.duration <= 0 {
		return fmt.Errorf("-services, -listeners, -interval and -duration must be positive")
	}
	if c.timeout <= 0 || c.timeout >= c.interval {
		return fmt.Errorf("-timeout %v must be positive and below -interval %v", c.timeout, c.interval)
	}
	raiseFileLimit()
	fl, err := startFleet(c.listeners)
	if err != nil {
		return err
	}
	defer fl.stop()

	dir, err := os.MkdirTemp("", "uptop-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	dbPath := filepath.Join(dir, "uptop.db")
	if c.memoryOnly {
		dbPath = ""
	}
	targets, specs := fleetTargets(c, fl.ports)
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(specs, store.Options{Path: dbPath, Node: "bench", Logger: log})
	if err != nil {
		return fmt.Errorf("open the store: %w", err)
	}
	return measure(c, targets, st, log)
}

// fleetTargets makes one HTTP target per service, spread round-robin over
// the fleet's ports, each on its own path.
func fleetTargets(c config, ports []int) ([]probe.Target, []store.Spec) {
	targets := make([]probe.Target, c.services)
	specs := make([]store.Spec, c.services)
	for i := range targets {
		id := fmt.Sprintf("svc-%05d", i)
		url := fmt.Sprintf("http://127.0.0.1:%d/s/%d", ports[i%len(ports)], i)
		targets[i] = probe.Target{ID: id, Kind: "http", Address: url, Interval: c.interval, Timeout: c.timeout}
		specs[i] = store.Spec{ID: id, Name: id, Kind: "http", Target: url, Interval: c.interval, Timeout: c.timeout,
			DegradedAfter: time.Second, FailThreshold: 2}
	}
	return targets, specs
}

// measure runs the scheduler over the store for the configured window and
// prints the report. CPU and lag are measured from Run's start to the
// store's final flush, so set-up (building checkers, opening the file) is
// not counted but persisting every result is.
func measure(c config, targets []probe.Target, st *store.Store, log *slog.Logger) error {
	expected := expectedTicks(c.services, c.interval, c.duration)
	m := newMeter(st, targets, c.duration, int(expected)+2*c.services)
	sched, err := probe.NewScheduler(targets, m, probe.SchedulerOptions{
		Registry: probe.NewRegistry(), Concurrency: c.concurrency, Node: "bench", Logger: log,
	})
	if err != nil {
		return err
	}
	if c.cpuProfile != "" {
		f, err := os.Create(c.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	loadBefore := loadAverage()
	cpu0 := cpuTime()
	m.start = time.Now()
	// Run a little past the window so ticks due at its very end are
	// dispatched; only ticks scheduled inside it are compared with expected.
	ctx, cancel := context.WithTimeout(context.Background(), c.duration+c.interval/10)
	defer cancel()
	if err := sched.Run(ctx); err != nil {
		return err
	}
	if c.memProfile != "" {
		if err := writeHeapProfile(c.memProfile); err != nil {
			return err
		}
	}
	if err := st.Close(); err != nil {
		return fmt.Errorf("close the store: %w", err)
	}
	r := report{cfg: c, stats: sched.Stats(), expected: expected, cpu: cpuTime() - cpu0, wall: time.Since(m.start), rss: peakRSS(),
		loadBefore: loadBefore, loadEnd: loadAverage()}
	r.fill(m)
	r.print(os.Stdout)
	return nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.WriteHeapProfile(f)
}
