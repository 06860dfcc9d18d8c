package store

import (
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

func TestRingSize(t *testing.T) {
	t.Parallel()
	scenarios := map[string]struct {
		interval time.Duration
		want     int
	}{
		"unset":       {0, RecentSamples},
		"1s clamps":   {time.Second, 360},
		"10s":         {10 * time.Second, 360},
		"20s":         {20 * time.Second, 181},
		"30s":         {30 * time.Second, 121},
		"1m sparkles": {time.Minute, RecentSamples},
		"1h":          {time.Hour, RecentSamples},
	}
	for name, sc := range scenarios {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := ringSize(sc.interval); got != sc.want {
				t.Errorf("ringSize(%v) = %d, want %d", sc.interval, got, sc.want)
			}
		})
	}
}

func TestRingWrapsOldestFirst(t *testing.T) {
	t.Parallel()
	r := newRing(RecentSamples)
	base := t0.UnixMilli()
	for i := range 300 {
		r.push(Sample{AtMilli: base + int64(i)*1000, LatencyUS: uint32(i), Status: Up})
	}
	got := r.recent(RecentSamples)
	if len(got) != RecentSamples {
		t.Fatalf("len %d, want %d", len(got), RecentSamples)
	}
	for i, s := range got {
		want := 300 - RecentSamples + i
		if s.LatencyUS != uint32(want) || s.AtMilli != base+int64(want)*1000 || s.Status != Up {
			t.Fatalf("sample %d = %+v, want latency %d at %d", i, s, want, base+int64(want)*1000)
		}
	}
	if short := r.recent(5); len(short) != 5 || short[4].LatencyUS != 299 {
		t.Errorf("recent(5) = %+v, want the 5 newest ending in 299", short)
	}
}

func TestRingPacking(t *testing.T) {
	t.Parallel()
	r := newRing(RecentSamples)
	in := []Sample{
		{AtMilli: t0.UnixMilli(), LatencyUS: latencyMask + 99, Status: Degraded},     // capped
		{AtMilli: t0.UnixMilli() - 3_600_000, LatencyUS: 7, Status: Down},            // older: still fits
		{AtMilli: t0.Add(60 * 24 * time.Hour).UnixMilli(), LatencyUS: 8, Status: Up}, // forces a rebase
	}
	for _, s := range in {
		r.push(s)
	}
	got := r.recent(3)
	want := []Sample{{in[0].AtMilli, latencyMask, Degraded}, {in[1].AtMilli - 0, 7, Down}, in[2]}
	want[0].AtMilli = r.base // both older samples fall before the new base: clamped
	want[1].AtMilli = r.base
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sample %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestP95Hour(t *testing.T) {
	t.Parallel()
	clock := clockwork.NewFakeClockAt(t0)
	s := openTest(t, "", clock, testSpec("api"))
	s.Ingest(okAt("api", t0.Add(-2*time.Hour), 900*time.Millisecond)) // older than an hour: ignored
	for i := 1; i <= 100; i++ {
		s.Ingest(okAt("api", t0.Add(-50*time.Minute+time.Duration(i)*time.Second), time.Duration(i)*time.Millisecond))
	}
	s.Ingest(failAt("api", t0.Add(-time.Minute), "refused")) // failures are not latencies
	mustSync(t, s)
	if got := mustState(t, s, "api").P95Hour; got != 95*time.Millisecond {
		t.Errorf("P95Hour = %v, want 95ms", got)
	}
	// An hour later only the newest sample remains in the window.
	clock.Advance(50*time.Minute + 30*time.Second)
	s.Ingest(okAt("api", clock.Now(), 3*time.Millisecond))
	mustSync(t, s)
	if got := mustState(t, s, "api").P95Hour; got != 3*time.Millisecond {
		t.Errorf("P95Hour an hour later = %v, want 3ms", got)
	}
}

func TestUptime24hRolls(t *testing.T) {
	t.Parallel()
	clock := clockwork.NewFakeClockAt(t0)
	s := openTest(t, "", clock, testSpec("api"))
	for i := range 10 {
		r := okAt("api", t0.Add(time.Duration(i)*time.Second), time.Millisecond)
		if i < 2 {
			r = failAt("api", r.Start, "refused")
		}
		s.Ingest(r)
	}
	mustSync(t, s)
	if got := mustState(t, s, "api").Uptime24h; got != (Uptime{Ratio: 0.8, Checks: 10, Fails: 2}) {
		t.Errorf("Uptime24h = %+v, want 8/10", got)
	}
	clock.Advance(25 * time.Hour)
	s.Ingest(okAt("api", clock.Now(), time.Millisecond))
	mustSync(t, s)
	if got := mustState(t, s, "api").Uptime24h; got != (Uptime{Ratio: 1, Checks: 1}) {
		t.Errorf("Uptime24h a day later = %+v, want 1/1", got)
	}
}
