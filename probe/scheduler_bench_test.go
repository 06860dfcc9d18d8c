package probe

import (
	"context"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

type discardSink struct{}

func (discardSink) Ingest(Result) {}

// benchScheduler builds a scheduler over n no-op services without running it.
func benchScheduler(b *testing.B, n int) *Scheduler {
	b.Helper()
	checks := map[string]checkFunc{}
	targets := fnTargets("b", n, 10*time.Second, time.Second)
	for _, tg := range targets {
		checks[tg.ID] = okCheck
	}
	s, err := NewScheduler(targets, discardSink{}, SchedulerOptions{Registry: funcRegistry(checks), Clock: clockwork.NewFakeClockAt(t0)})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkSchedulerDispatch measures the loop's side of one check: pop the
// due service from the heap, move it along its grid, queue it. Reported
// per dispatched check.
func BenchmarkSchedulerDispatch(b *testing.B) {
	const n = 10000
	s := benchScheduler(b, n)
	h := s.spread(t0)
	now := t0
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; {
		now = now.Add(time.Second) // a tenth of the services fall due
		before := s.stats.dispatched.Load()
		s.dispatchDue(h, now)
		done += int(s.stats.dispatched.Load() - before)
		b.StopTimer()
		for len(s.queue) > 0 {
			s.drop(<-s.queue)
		}
		b.StartTimer()
	}
}

// BenchmarkSchedulerRunJob measures the worker's side of one check around a
// checker that does nothing: deadline context, recover guard, lag
// histogram, result fields, sink call.
func BenchmarkSchedulerRunJob(b *testing.B) {
	s := benchScheduler(b, 1)
	e := s.entries[0]
	base := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		e.running.Store(true)
		s.stats.inFlight.Add(1)
		s.runJob(base, job{e: e, due: t0})
	}
}

// BenchmarkSchedulerSaturated runs the real loop and pool on the real clock
// with 1,000 no-op services due every millisecond (far more than two cores
// can run), so ns/op is the wall time per completed check at saturation.
func BenchmarkSchedulerSaturated(b *testing.B) {
	const n = 1000
	checks := map[string]checkFunc{}
	targets := fnTargets("e", n, time.Millisecond, time.Second)
	for _, tg := range targets {
		checks[tg.ID] = okCheck
	}
	s, err := NewScheduler(targets, discardSink{}, SchedulerOptions{Registry: funcRegistry(checks)})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	b.ReportAllocs()
	b.ResetTimer()
	go func() { done <- s.Run(ctx) }()
	for s.stats.completed.Load() < uint64(b.N) {
		time.Sleep(100 * time.Microsecond) // polling a counter, not synchronising
	}
	b.StopTimer()
	cancel()
	<-done
}
