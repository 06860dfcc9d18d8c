package main

import (
	"testing"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

func TestExpectedTicksMatchesBruteForce(t *testing.T) {
	t.Parallel()
	cases := []struct {
		n                int
		interval, window time.Duration
	}{
		{1, 10 * time.Second, 60 * time.Second},
		{3, 10 * time.Second, 25 * time.Second},
		{10000, 10 * time.Second, 60 * time.Second},
		{7, time.Second, 500 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.window.String(), func(t *testing.T) {
			t.Parallel()
			var want int64
			for i := range tc.n {
				for at := tc.interval * time.Duration(i) / time.Duration(tc.n); at < tc.window; at += tc.interval {
					want++
				}
			}
			if got := expectedTicks(tc.n, tc.interval, tc.window); got != want {
				t.Errorf("expectedTicks(%d, %v, %v) = %d, want %d", tc.n, tc.interval, tc.window, got, want)
			}
		})
	}
}

type countSink struct{ n int }

func (c *countSink) Ingest(probe.Result) { c.n++ }

func TestMeterWindowLagAndFirstCheck(t *testing.T) {
	t.Parallel()
	targets := []probe.Target{{ID: "a"}, {ID: "b"}}
	next := &countSink{}
	m := newMeter(next, targets, 10*time.Second, 10)
	origin := time.Now()
	m.start = origin
	res := func(id string, due time.Duration, lag time.Duration) probe.Result {
		return probe.Result{ServiceID: id, OK: true, Scheduled: origin.Add(due), Start: origin.Add(due + lag)}
	}
	m.Ingest(res("a", 0, time.Millisecond)) // fixes the window: [origin, origin+10s)
	m.Ingest(res("b", 5*time.Second, 3*time.Millisecond))
	m.Ingest(res("a", 10*time.Second, time.Millisecond)) // outside the window
	if next.n != 3 {
		t.Errorf("forwarded %d results, want 3", next.n)
	}
	if got := m.inWindow.Load(); got != 2 {
		t.Errorf("%d results in the window, want 2", got)
	}
	if p50, _, maxLag := m.lagQuantiles(); p50 != time.Millisecond || maxLag != 3*time.Millisecond {
		t.Errorf("lag p50 %v max %v, want 1ms and 3ms", p50, maxLag)
	}
	if m.allAt.Load() == 0 {
		t.Error("both services were checked but the all-checked time was not set")
	}
}
