package probe

import (
	"context"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// checkFunc adapts a function to Checker for tests.
type checkFunc func(ctx context.Context) Result

func (f checkFunc) Check(ctx context.Context) Result { return f(ctx) }

// okCheck returns at once with a successful result.
func okCheck(context.Context) Result { return Result{OK: true, Start: time.Now()} }

// funcRegistry builds the checker for each target from checks by target ID,
// under the kind "fn".
func funcRegistry(checks map[string]checkFunc) Registry {
	return Registry{"fn": func(t Target) (Checker, error) { return checks[t.ID], nil }}
}

// chanSink delivers every result on a channel big enough for the test.
type chanSink chan Result

func (c chanSink) Ingest(r Result) { c <- r }

// next waits for the next result, failing the test after a deadline.
func (c chanSink) next(t *testing.T) Result {
	t.Helper()
	select {
	case r := <-c:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no result within 10s")
		return Result{}
	}
}

// sliceSink keeps every result.
type sliceSink struct {
	mu      sync.Mutex
	results []Result
}

func (s *sliceSink) Ingest(r Result) {
	s.mu.Lock()
	s.results = append(s.results, r)
	s.mu.Unlock()
}

func (s *sliceSink) all() []Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Result(nil), s.results...)
}

// running starts s.Run and returns a function that stops it and waits for
// Run to return.
func running(t *testing.T, s *Scheduler) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Error("Run did not return within 10s of cancel")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// waitArmed blocks until the scheduler loop is waiting on its fake-clock
// timer, i.e. it has processed everything due so far.
func waitArmed(t *testing.T, fc *clockwork.FakeClock) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := fc.BlockUntilContext(ctx, 1); err != nil {
		t.Fatalf("scheduler loop never armed its timer: %v", err)
	}
}

// fnTargets makes n targets of kind "fn" named prefix0…, all with one
// interval and timeout.
func fnTargets(prefix string, n int, interval, timeout time.Duration) []Target {
	ts := make([]Target, n)
	for i := range ts {
		ts[i] = Target{ID: prefix + strconv.Itoa(i), Kind: "fn", Interval: interval, Timeout: timeout}
	}
	return ts
}

// waitIdle spins until no check is queued or running: a result reaches the
// sink just before its service is released for the next tick.
func waitIdle(t *testing.T, s *Scheduler) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.Stats().InFlight != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("checks still in flight after 10s: %+v", s.Stats())
		}
		runtime.Gosched()
	}
}

// lockedLogger is a text logger into b, guarded by mu.
func lockedLogger(mu *sync.Mutex, b *strings.Builder) *slog.Logger {
	return slog.New(slog.NewTextHandler(lockedWriter{mu, b}, nil))
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *strings.Builder
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
