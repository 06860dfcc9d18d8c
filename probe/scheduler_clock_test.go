package probe

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// newFake builds a scheduler over fn targets on a fake clock at t0.
func newFake(t *testing.T, targets []Target, checks map[string]checkFunc, sink Sink) (*Scheduler, *clockwork.FakeClock) {
	t.Helper()
	fc := clockwork.NewFakeClockAt(t0)
	s, err := NewScheduler(targets, sink, SchedulerOptions{Registry: funcRegistry(checks), Clock: fc, Node: "n1"})
	if err != nil {
		t.Fatal(err)
	}
	return s, fc
}

func TestSchedulerStartupSpread(t *testing.T) {
	t.Parallel()
	targets := append(fnTargets("slow", 10, 10*time.Second, time.Second), fnTargets("fast", 4, 3*time.Second, time.Second)...)
	checks := map[string]checkFunc{}
	for _, tg := range targets {
		checks[tg.ID] = okCheck
	}
	sink := make(chanSink, 1000)
	s, fc := newFake(t, targets, checks, sink)
	running(t, s)

	// Step through the first 10 s in 50 ms steps, collecting first checks.
	first := map[string]time.Time{}
	for step := 0; step < 200; step++ {
		waitArmed(t, fc)
		fc.Advance(50 * time.Millisecond)
	}
	waitArmed(t, fc)
	for len(first) < len(targets) {
		r := sink.next(t)
		if _, seen := first[r.ServiceID]; !seen {
			first[r.ServiceID] = r.Scheduled
		}
	}
	want := map[string]time.Time{}
	for i := range 10 {
		want["slow"+strconv.Itoa(i)] = t0.Add(10 * time.Second * time.Duration(i) / 10)
	}
	for i := range 4 {
		want["fast"+strconv.Itoa(i)] = t0.Add(3 * time.Second * time.Duration(i) / 4)
	}
	for id, w := range want {
		if got := first[id]; !got.Equal(w) {
			t.Errorf("%s: first due %v after start, want %v", id, got.Sub(t0), w.Sub(t0))
		}
	}
}

func TestSchedulerNoDriftOverManyIntervals(t *testing.T) {
	t.Parallel()
	const iv = 10 * time.Second
	targets := fnTargets("s", 3, iv, time.Second)
	checks := map[string]checkFunc{"s0": okCheck, "s1": okCheck, "s2": okCheck}
	sink := make(chanSink, 1000)
	s, fc := newFake(t, targets, checks, sink)
	running(t, s)

	// Wake the loop late by an irregular amount every time: a scheduler that
	// computed now+interval would drift by the sum of the delays. Each step
	// waits for the checks it made due, so none is skipped as still running.
	var results []Result
	for k := 0; k <= 100; k++ {
		waitArmed(t, fc)
		late := time.Duration(k*7919%50) * time.Millisecond
		fc.Advance(t0.Add(time.Duration(k)*iv + late).Sub(fc.Now()))
		for len(results) < 3*k+1 { // s0 is due at 0, 10 s…; s1 and s2 a third and two thirds in
			results = append(results, sink.next(t))
		}
		waitIdle(t, s)
	}
	next := map[string]int{}
	for _, r := range results {
		i := int(r.ServiceID[1] - '0')
		want := t0.Add(iv*time.Duration(i)/3 + time.Duration(next[r.ServiceID])*iv)
		if !r.Scheduled.Equal(want) {
			t.Fatalf("%s check %d: scheduled %v after start, want %v", r.ServiceID, next[r.ServiceID], r.Scheduled.Sub(t0), want.Sub(t0))
		}
		next[r.ServiceID]++
	}
	if next["s0"] != 101 || next["s1"] != 100 || next["s2"] != 100 {
		t.Errorf("checks per service over 100 intervals: %v, want s0:101 s1:100 s2:100", next)
	}
	if st := s.Stats(); st.Skipped != 0 || st.Missed != 0 {
		t.Errorf("skipped %d, missed %d; want none", st.Skipped, st.Missed)
	}
}

func TestSchedulerSkipsWhilePreviousRunsAndRejoinsAfterSuspend(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	checks := map[string]checkFunc{"a0": func(ctx context.Context) Result {
		<-release // only the first check blocks: later ones find it closed
		return Result{OK: true, Start: time.Now()}
	}}
	sink := make(chanSink, 10)
	s, fc := newFake(t, fnTargets("a", 1, 10*time.Second, time.Minute), checks, sink)
	running(t, s)

	waitArmed(t, fc) // the first check (due at t0) is running and blocked
	fc.Advance(10 * time.Second)
	waitArmed(t, fc)
	fc.Advance(10 * time.Second)
	waitArmed(t, fc)
	if st := s.Stats(); st.Dispatched != 1 || st.Skipped != 2 {
		t.Fatalf("dispatched %d, skipped %d; want 1 and 2 while the first check hangs", st.Dispatched, st.Skipped)
	}
	close(release)
	if r := sink.next(t); !r.Scheduled.Equal(t0) {
		t.Fatalf("first result scheduled %v, want t0", r.Scheduled)
	}

	// Jump 35 s at once, as after a suspend: ticks at 30, 40 and 50 s are
	// lost and the next check is on the grid at 60 s.
	fc.Advance(35 * time.Second)
	waitArmed(t, fc)
	if st := s.Stats(); st.Missed != 3 || st.Dispatched != 1 {
		t.Fatalf("missed %d, dispatched %d; want 3 and 1 after a 35 s jump", st.Missed, st.Dispatched)
	}
	fc.Advance(5 * time.Second)
	if r := sink.next(t); !r.Scheduled.Equal(t0.Add(60 * time.Second)) {
		t.Fatalf("after the jump the check was scheduled at %v, want 60s", r.Scheduled.Sub(t0))
	}
}
