package probe

import (
	"context"
	"errors"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewSchedulerListsEveryBadTarget(t *testing.T) {
	t.Parallel()
	targets := []Target{
		{ID: "ok", Kind: "fn", Interval: time.Second, Timeout: time.Second},
		{ID: "nokind", Kind: "gopher", Interval: time.Second, Timeout: time.Second},
		{ID: "zero", Kind: "fn", Timeout: time.Second},
		{ID: "ok", Kind: "fn", Interval: time.Second, Timeout: time.Second},
		{Kind: "fn", Interval: time.Second, Timeout: time.Second},
	}
	checks := map[string]checkFunc{"ok": okCheck, "zero": okCheck}
	_, err := NewScheduler(targets, make(chanSink), SchedulerOptions{Registry: funcRegistry(checks)})
	if err == nil {
		t.Fatal("NewScheduler accepted bad targets")
	}
	for _, want := range []string{`"nokind": unknown check kind "gopher"`, `"zero": interval`, `"ok" is listed twice`, "empty ID"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestSchedulerRespectsConcurrencyBound(t *testing.T) {
	t.Parallel()
	const limit = 3
	var cur, peak atomic.Int64
	slow := func(ctx context.Context) Result {
		n := cur.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(5 * time.Millisecond) // the work being bounded, not synchronisation
		cur.Add(-1)
		return Result{OK: true, Start: time.Now()}
	}
	targets := fnTargets("c", 20, 10*time.Millisecond, time.Second)
	checks := map[string]checkFunc{}
	for _, tg := range targets {
		checks[tg.ID] = slow
	}
	sink := make(chanSink, 10000)
	s, err := NewScheduler(targets, sink, SchedulerOptions{Registry: funcRegistry(checks), Concurrency: limit})
	if err != nil {
		t.Fatal(err)
	}
	stop := running(t, s)
	for range 60 {
		sink.next(t)
	}
	stop()
	// Demand is 20 services × 5 ms per 10 ms = 10 workers' worth, so the
	// pool must have been saturated, and never exceeded.
	if got := peak.Load(); got != limit {
		t.Errorf("peak simultaneous checks %d, want exactly the bound %d", got, limit)
	}
	if st := s.Stats(); st.Workers != limit || st.InFlight != 0 {
		t.Errorf("workers %d, in flight after Run %d; want %d and 0", st.Workers, st.InFlight, limit)
	}
}

// dialCheck is a tiny TCP checker for tests: connect, then optionally wait
// for one byte, all under ctx's deadline.
func dialCheck(addr string, wantByte bool) checkFunc {
	return func(ctx context.Context) Result {
		start := time.Now()
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return Result{Start: start, Duration: time.Since(start), Err: err.Error()}
		}
		defer c.Close()
		if wantByte {
			if dl, ok := ctx.Deadline(); ok {
				c.SetReadDeadline(dl)
			}
			if _, err := c.Read(make([]byte, 1)); err != nil {
				return Result{Start: start, Duration: time.Since(start), Err: err.Error()}
			}
		}
		return Result{OK: true, Start: start, Duration: time.Since(start)}
	}
}

// blackhole accepts connections and never answers until the test ends.
func blackhole(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return ln.Addr().String()
}

// TestSchedulerHangingTargetsDoNotDelayHealthyOnes measures latency, so it
// does not call t.Parallel: it runs alone instead of next to the package's
// CPU-heavy parallel tests, which would show up as lag on two cores.
func TestSchedulerHangingTargetsDoNotDelayHealthyOnes(t *testing.T) {
	healthyLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer healthyLn.Close()
	hole := blackhole(t)

	// The hanging checks' timeout outlasts the window: 200 of the 256
	// workers stay occupied throughout, and a loop or pool that waited on
	// them would delay the healthy ones by a second or more.
	const interval, window, hangTimeout = 250 * time.Millisecond, 1500 * time.Millisecond, 2 * time.Second
	targets := append(fnTargets("hang", 200, interval, hangTimeout), fnTargets("ok", 50, interval, 200*time.Millisecond)...)
	checks := map[string]checkFunc{}
	for _, tg := range targets {
		if strings.HasPrefix(tg.ID, "hang") {
			checks[tg.ID] = dialCheck(hole, true)
		} else {
			checks[tg.ID] = dialCheck(healthyLn.Addr().String(), false)
		}
	}
	sink := &sliceSink{}
	s, err := NewScheduler(targets, sink, SchedulerOptions{Registry: funcRegistry(checks)})
	if err != nil {
		t.Fatal(err)
	}
	stop := running(t, s)
	<-time.After(window)
	stop()

	var lags []time.Duration
	perService := map[string]int{}
	hangFailed := 0
	for _, r := range sink.all() {
		if strings.HasPrefix(r.ServiceID, "hang") {
			if !r.OK {
				hangFailed++
			}
			continue
		}
		if !r.OK {
			t.Errorf("%s failed: %s", r.ServiceID, r.Err)
		}
		perService[r.ServiceID]++
		lags = append(lags, r.Start.Sub(r.Scheduled))
	}
	if hangFailed != 200 {
		t.Fatalf("%d hanging checks timed out, want 200 (one each, still running when the window closed)", hangFailed)
	}
	// Each healthy service is due 6 times in the window; allow the last
	// tick to fall on its edge.
	for i := range 50 {
		if n := perService["ok"+strconv.Itoa(i)]; n < int(window/interval)-1 {
			t.Errorf("ok%d checked %d times in %v, want ≥ %d", i, n, window, int(window/interval)-1)
		}
	}
	// A loop or pool that waited on the hanging checks would delay healthy
	// ones by their 2s timeout. The bound here is one interval (no healthy
	// check slides into its next tick) rather than the 100ms p99 target,
	// which bench/load measures on a quiet machine: this test runs beside
	// other packages' tests on two cores.
	slices.Sort(lags)
	if p99 := lags[len(lags)*99/100]; p99 >= interval {
		t.Errorf("healthy schedule lag p99 %v with 200 hanging targets, want < %v", p99, interval)
	}
	t.Logf("healthy lag p50 %v p99 %v; stats %+v", lags[len(lags)/2], lags[len(lags)*99/100], s.Stats())
}

func TestSchedulerRunNow(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var calls atomic.Int64
	checks := map[string]checkFunc{
		"a0": okCheck,
		"b0": func(ctx context.Context) Result {
			if calls.Add(1) == 2 {
				<-release // the RunNow check of b hangs until the test lets go
			}
			return Result{OK: true, Start: time.Now()}
		},
	}
	targets := append(fnTargets("a", 1, time.Hour, time.Minute), fnTargets("b", 1, time.Hour, time.Minute)...)
	sink := make(chanSink, 10)
	s, fc := newFake(t, targets, checks, sink)
	if err := s.RunNow("a0"); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("RunNow before Run: %v, want ErrNotRunning", err)
	}
	running(t, s)
	// The first checks, spread over the hour: a at start, b 30 min in.
	sink.next(t)
	waitIdle(t, s)
	waitArmed(t, fc)
	fc.Advance(30 * time.Minute)
	sink.next(t)
	waitIdle(t, s)
	if err := s.RunNow("nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("RunNow of an unknown id: %v, want an error naming it", err)
	}
	if err := s.RunNow("a0"); err != nil {
		t.Fatal(err)
	}
	if r := sink.next(t); r.ServiceID != "a0" || !r.Scheduled.IsZero() || r.Node != "n1" || !r.OK {
		t.Errorf("RunNow result %+v: want a0, zero Scheduled, node n1, ok", r)
	}
	if err := s.RunNow("b0"); err != nil {
		t.Fatal(err)
	}
	if err := s.RunNow("b0"); !errors.Is(err, ErrCheckRunning) {
		t.Errorf("second RunNow while the first hangs: %v, want ErrCheckRunning", err)
	}
	close(release)
	sink.next(t)
	waitIdle(t, s)
	// The grid is untouched: a's next check is still due at t0+1h.
	waitArmed(t, fc)
	fc.Advance(30 * time.Minute)
	if r := sink.next(t); r.ServiceID != "a0" || !r.Scheduled.Equal(t0.Add(time.Hour)) {
		t.Errorf("next scheduled check %s at %v, want a0 at t0+1h", r.ServiceID, r.Scheduled.Sub(t0))
	}
}

func TestSchedulerTurnsPanicsIntoFailedResults(t *testing.T) {
	t.Parallel()
	const secret = "http://user:hunter2@example.com/"
	cases := []struct {
		name  string
		check checkFunc
		want  string
	}{
		{"runtime error", func(context.Context) Result {
			var m map[string]int
			m["x"] = 1
			return Result{}
		}, "assignment to entry in nil map"},
		{"value with the address", func(context.Context) Result { panic("cannot reach " + secret) }, "details in the log"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var log strings.Builder
			var mu sync.Mutex
			sink := make(chanSink, 1)
			s, err := NewScheduler([]Target{{ID: "p", Kind: "fn", Address: secret, Interval: time.Hour, Timeout: time.Second}},
				sink, SchedulerOptions{Registry: funcRegistry(map[string]checkFunc{"p": tc.check}), Logger: lockedLogger(&mu, &log)})
			if err != nil {
				t.Fatal(err)
			}
			running(t, s)
			r := sink.next(t)
			if r.OK || r.ServiceID != "p" || !strings.Contains(r.Err, tc.want) || r.Start.IsZero() {
				t.Errorf("result %+v: want failed, id p, a start time, error containing %q", r, tc.want)
			}
			mu.Lock()
			defer mu.Unlock()
			if strings.Contains(r.Err+log.String(), "hunter2") {
				t.Errorf("the credential leaked: err %q, log %q", r.Err, log.String())
			}
		})
	}
}

func TestSchedulerRunWaitsForInFlightChecks(t *testing.T) {
	t.Parallel()
	started, release := make(chan struct{}), make(chan struct{})
	var checkCtxErr error
	checks := map[string]checkFunc{"w0": func(ctx context.Context) Result {
		close(started)
		<-release
		checkCtxErr = ctx.Err()
		return Result{OK: true, Start: time.Now()}
	}}
	sink := &sliceSink{}
	s, err := NewScheduler(fnTargets("w", 1, time.Hour, time.Minute), sink, SchedulerOptions{Registry: funcRegistry(checks)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	<-started
	cancel()
	select {
	case <-done:
		t.Fatal("Run returned while a check was still in flight")
	case <-time.After(100 * time.Millisecond): // a negative can only be observed for a while
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := len(sink.all()); got != 1 {
		t.Fatalf("%d results ingested before Run returned, want 1", got)
	}
	if checkCtxErr != nil {
		t.Errorf("the in-flight check was cancelled on shutdown (%v): it would be recorded as a false failure", checkCtxErr)
	}
	if err := s.Run(context.Background()); err == nil {
		t.Error("a second Run succeeded; a scheduler runs once")
	}
}
