package probe

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
)

// DefaultConcurrency is the worker pool size when SchedulerOptions leaves it
// at 0. A worker costs one idle goroutine (a few KiB), and a check holds it
// for its duration, so by Little's law 256 workers sustain 1,000 checks/s
// with an average check time up to ~250 ms, and still leave room for 200
// targets hanging until their timeout without delaying anyone else.
const DefaultConcurrency = 256

// ErrCheckRunning is returned by RunNow when a check of that service is
// already queued or running: a service is never checked twice at once.
var ErrCheckRunning = errors.New("a check of this service is already running; its result is on the way")

// ErrNotRunning is returned by RunNow outside Run: nothing would run the check.
var ErrNotRunning = errors.New("the scheduler is not running; call RunNow while Run is active")

// SchedulerOptions configures NewScheduler.
type SchedulerOptions struct {
	Registry Registry
	// Concurrency is the worker pool size; 0 means DefaultConcurrency.
	Concurrency int
	// Node is written into every Result.
	Node string
	// Clock drives the schedule (due times, timers); nil means the real
	// clock. Check deadlines are always real time: network I/O runs on it.
	Clock  clockwork.Clock
	Logger *slog.Logger // nil discards
}

// Scheduler checks every target on its own ideal grid: one loop goroutine
// with a min-heap of next-due times feeds a bounded worker pool through a
// queue the loop never blocks on.
type Scheduler struct {
	entries []*entry
	byID    map[string]*entry
	sink    Sink
	node    string
	clock   clockwork.Clock
	log     *slog.Logger
	workers int

	// queue holds at most one job per service (entry.running guards it), so
	// with capacity len(entries) a send never blocks the loop.
	queue chan job

	mu        sync.Mutex // guards accepting and started
	accepting bool
	started   bool

	stats schedCounters
}

// entry is one scheduled service. next and index belong to the loop
// goroutine; running is shared with the workers and RunNow.
type entry struct {
	target  Target
	checker Checker
	next    time.Time
	index   int
	running atomic.Bool // a job for it is queued or running
}

// job is a check to run; due is the grid time, zero for RunNow.
type job struct {
	e   *entry
	due time.Time
}

// NewScheduler builds every target's checker up front so a bad target is
// reported at start-up, all of them at once, rather than at its first tick.
func NewScheduler(targets []Target, sink Sink, opt SchedulerOptions) (*Scheduler, error) {
	if sink == nil {
		return nil, errors.New("probe: NewScheduler needs a Sink to deliver results to")
	}
	if opt.Registry == nil {
		return nil, errors.New("probe: SchedulerOptions.Registry is nil; pass probe.NewRegistry()")
	}
	if opt.Concurrency < 0 {
		return nil, fmt.Errorf("probe: concurrency %d is negative; use 0 for the default (%d) or a positive pool size", opt.Concurrency, DefaultConcurrency)
	}
	entries, err := buildEntries(targets, opt.Registry)
	if err != nil {
		return nil, err
	}
	s := &Scheduler{
		entries: entries,
		byID:    make(map[string]*entry, len(entries)),
		sink:    sink,
		node:    opt.Node,
		clock:   opt.Clock,
		log:     opt.Logger,
		workers: poolSize(opt.Concurrency, len(entries)),
		queue:   make(chan job, len(entries)),
	}
	for _, e := range entries {
		s.byID[e.target.ID] = e
	}
	if s.clock == nil {
		s.clock = clockwork.NewRealClock()
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// buildEntries validates the targets and builds their checkers; the error
// joins one line per bad target.
func buildEntries(targets []Target, reg Registry) ([]*entry, error) {
	var errs []error
	seen := make(map[string]bool, len(targets))
	entries := make([]*entry, 0, len(targets))
	for _, t := range targets {
		switch {
		case t.ID == "":
			errs = append(errs, errors.New("a target has an empty ID; give every service a unique id"))
			continue
		case seen[t.ID]:
			errs = append(errs, fmt.Errorf("service %q is listed twice; ids must be unique", t.ID))
			continue
		case t.Interval <= 0 || t.Timeout <= 0:
			errs = append(errs, fmt.Errorf("service %q: interval (%v) and timeout (%v) must both be positive", t.ID, t.Interval, t.Timeout))
			continue
		}
		seen[t.ID] = true
		c, err := reg.Build(t)
		if err != nil {
			errs = append(errs, fmt.Errorf("service %q: %w", t.ID, err))
			continue
		}
		entries = append(entries, &entry{target: t, checker: c})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return entries, nil
}

// poolSize never starts more workers than services: a service has at most
// one check outstanding, so extra workers could never be busy.
func poolSize(concurrency, services int) int {
	if concurrency == 0 {
		concurrency = DefaultConcurrency
	}
	return max(1, min(concurrency, services))
}

// Run checks every service on schedule until ctx is done, then waits for the
// checks in flight (each bounded by its timeout; they are not cancelled, so
// a shutdown does not record false failures) and returns nil. Queued checks
// that have not started are dropped. A Scheduler runs once.
func (s *Scheduler) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		return errors.New("probe: this scheduler already ran; build a new one with NewScheduler")
	}
	s.started, s.accepting = true, true
	s.mu.Unlock()

	base := context.WithoutCancel(ctx)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range s.workers {
		wg.Go(func() { s.work(base, stop) })
	}
	s.loop(ctx)

	s.mu.Lock()
	s.accepting = false
	s.mu.Unlock()
	close(stop)
	wg.Wait()
	s.dropQueued()
	return nil
}

// RunNow queues an out-of-band check of the service with that id (the TUI's
// "r" key). Its result goes to the sink with a zero Scheduled; the grid is
// untouched.
func (s *Scheduler) RunNow(id string) error {
	e, ok := s.byID[id]
	if !ok {
		return fmt.Errorf("probe: no service with id %q; pick one from the configured services", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.accepting {
		return ErrNotRunning
	}
	if !e.running.CompareAndSwap(false, true) {
		return ErrCheckRunning
	}
	s.enqueue(job{e: e})
	return nil
}
