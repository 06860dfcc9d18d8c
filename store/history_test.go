package store

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// randomHistory ingests n results for id over the span before t0, ordered
// in time, with latencies spread over four decades and some failures.
func randomHistory(s *Store, id string, seed uint64, n int, span time.Duration) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b9))
	start := t0.Add(-span)
	at := make([]time.Duration, n)
	for i := range at {
		at[i] = time.Duration(rng.Int64N(int64(span)))
	}
	slices.Sort(at)
	for _, d := range at {
		when := start.Add(d)
		if rng.IntN(10) == 0 {
			s.Ingest(failAt(id, when, "connection refused"))
			continue
		}
		lat := time.Duration(float64(50*time.Microsecond) * pow10(rng.Float64()*5)) // 50µs … 5s
		s.Ingest(okAt(id, when, lat))
	}
}

// TestRollupsMatchRaw: the same range bucketed from raw results and from
// the rollups agrees exactly on counts and max, and on p50/p95 within the
// histogram's documented bound.
func TestRollupsMatchRaw(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		seed   uint64
		step   time.Duration
		period int64
	}{
		{"hourly seed 1", 1, time.Hour, hourMs},
		{"3h seed 2", 2, 3 * time.Hour, hourMs},
		{"daily seed 3", 3, 24 * time.Hour, dayMs},
		{"daily seed 4", 4, 24 * time.Hour, dayMs},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := openTest(t, dbPath(t), nil, testSpec("api"))
			randomHistory(s, "api", tc.seed, 3000, 5*24*time.Hour)
			mustSync(t, s)
			ctx := context.Background()
			from, to := t0.Add(-5*24*time.Hour).Truncate(24*time.Hour), t0.Add(24*time.Hour).Truncate(24*time.Hour)
			n, err := bucketCount(from, to, tc.step)
			if err != nil {
				t.Fatal(err)
			}
			raw, roll := make([]Bucket, n), make([]Bucket, n)
			if err := s.historyRaw(ctx, "api", from, to, tc.step, raw); err != nil {
				t.Fatal(err)
			}
			if err := s.historyRollups(ctx, "api", from, to, tc.step, tc.period, roll); err != nil {
				t.Fatal(err)
			}
			total := 0
			for i := range raw {
				r, g := raw[i], roll[i]
				total += r.Count
				if r.Count != g.Count || r.Failures != g.Failures || r.Max != g.Max || r.Uptime != g.Uptime {
					t.Errorf("bucket %d: rollups %+v, raw %+v", i, g, r)
				}
				checkWithinBound(t, i, "p50", g.P50, r.P50)
				checkWithinBound(t, i, "p95", g.P95, r.P95)
			}
			if total != 3000 {
				t.Errorf("raw buckets hold %d checks, want 3000", total)
			}
		})
	}
}

// checkWithinBound applies hist.go's bound: +18.92%/−15.91% at or above
// 128µs, 64µs absolute below.
func checkWithinBound(t *testing.T, i int, what string, est, exact time.Duration) {
	t.Helper()
	if exact < 128*time.Microsecond {
		if d := est - exact; d > 64*time.Microsecond || d < -64*time.Microsecond {
			t.Errorf("bucket %d %s: estimate %v, exact %v: more than 64µs apart", i, what, est, exact)
		}
		return
	}
	ratio := float64(est) / float64(exact)
	if ratio > 1.1893 || ratio < 0.8408 {
		t.Errorf("bucket %d %s: estimate %v, exact %v: ratio %.4f outside [0.8409, 1.1892]", i, what, est, exact, ratio)
	}
}

func TestHistoryPicksRawOrRollups(t *testing.T) {
	t.Parallel()
	s := openTest(t, dbPath(t), nil, testSpec("api"))
	for i := range 12 { // one check every 5 minutes in the last hour, 10ms … 120ms
		s.Ingest(okAt("api", t0.Add(-time.Hour+time.Duration(i)*5*time.Minute), time.Duration(i+1)*10*time.Millisecond))
	}
	ctx := context.Background()
	bs, err := s.History(ctx, "api", t0.Add(-time.Hour), t0, 10*time.Minute)
	if err != nil || len(bs) != 6 {
		t.Fatalf("History 1h/10m = %d buckets, %v; want 6", len(bs), err)
	}
	if b := bs[0]; b.Count != 2 || b.P50 != 10*time.Millisecond || b.Max != 20*time.Millisecond || !b.Start.Equal(t0.Add(-time.Hour)) {
		t.Errorf("first raw bucket %+v, want 2 checks, p50 10ms (exact), max 20ms", b)
	}
	bs, err = s.History(ctx, "api", t0.Add(-2*time.Hour), t0, time.Hour)
	if err != nil || len(bs) != 2 || bs[0].Count != 0 || bs[1].Count != 12 || bs[1].Max != 120*time.Millisecond {
		t.Fatalf("History 2h/1h = %+v, %v; want an empty bucket then 12 checks with max 120ms", bs, err)
	}
}

func TestHistoryArgumentErrors(t *testing.T) {
	t.Parallel()
	s := openTest(t, "", nil, testSpec("api"))
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		id       string
		from, to time.Time
		step     time.Duration
		want     error
	}{
		{"zero step", "api", t0.Add(-time.Hour), t0, 0, ErrBadRange},
		{"negative step", "api", t0.Add(-time.Hour), t0, -time.Minute, ErrBadRange},
		{"from equals to", "api", t0, t0, time.Minute, ErrBadRange},
		{"from after to", "api", t0, t0.Add(-time.Hour), time.Minute, ErrBadRange},
		{"missing from", "api", time.Time{}, t0, time.Minute, ErrBadRange},
		{"too many buckets", "api", t0.Add(-24 * time.Hour), t0, time.Second, ErrBadRange},
		{"fine step before raw retention", "api", t0.Add(-8 * 24 * time.Hour), t0, 30 * time.Minute, ErrBadRange},
		{"unknown service", "nope", t0.Add(-time.Hour), t0, time.Minute, ErrUnknownService},
		{"exactly the bucket limit", "api", t0.Add(-MaxBuckets * time.Second), t0, time.Second, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := s.History(ctx, tc.id, tc.from, tc.to, tc.step)
			if !errors.Is(err, tc.want) || (tc.want != nil && err.Error() == tc.want.Error()) {
				t.Errorf("History error %v, want %v with the details", err, tc.want)
			}
		})
	}
	for _, days := range []int{0, -1, MaxDays + 1} {
		if _, err := s.Daily(ctx, "api", days); !errors.Is(err, ErrBadRange) {
			t.Errorf("Daily(%d) error %v, want ErrBadRange", days, err)
		}
	}
	if _, err := s.Daily(ctx, "nope", 90); !errors.Is(err, ErrUnknownService) {
		t.Errorf("Daily(unknown) error %v, want ErrUnknownService", err)
	}
}

func TestDailyGapsAndDowntimeAcrossMidnight(t *testing.T) {
	t.Parallel()
	clock := clockwork.NewFakeClockAt(t0) // 12:00 UTC
	s := openTest(t, dbPath(t), clock, testSpec("api"))
	today := t0.Truncate(24 * time.Hour)
	day := func(d int, h, m int) time.Time {
		return today.AddDate(0, 0, d).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	s.Ingest(okAt("api", day(-3, 9, 0), 10*time.Millisecond))
	s.Ingest(okAt("api", day(-3, 10, 0), 10*time.Millisecond))
	// day -2: nothing at all (a gap); day -1: down from 23:00 until 01:30 today.
	s.Ingest(failAt("api", day(-1, 22, 59), "refused"))
	s.Ingest(failAt("api", day(-1, 23, 0), "refused")) // second failure: Down at 23:00
	s.Ingest(okAt("api", day(0, 1, 30), 10*time.Millisecond))
	// today: down again from 10:00 and still down at 12:00.
	s.Ingest(failAt("api", day(0, 9, 59), "refused"))
	s.Ingest(failAt("api", day(0, 10, 0), "refused"))

	days, err := s.Daily(context.Background(), "api", 5)
	if err != nil {
		t.Fatal(err)
	}
	want := []Day{
		{Date: day(-4, 0, 0)},
		{Date: day(-3, 0, 0), Checks: 2, Uptime: 1, HasData: true},
		{Date: day(-2, 0, 0)},
		{Date: day(-1, 0, 0), Checks: 2, Failures: 2, DowntimeMinutes: 60, HasData: true},
		{Date: day(0, 0, 0), Checks: 3, Failures: 2, DowntimeMinutes: 90 + 120, Uptime: 1.0 / 3, HasData: true},
	}
	if len(days) != len(want) {
		t.Fatalf("Daily(5) = %d days, want 5", len(days))
	}
	for i := range want {
		if days[i] != want[i] {
			t.Errorf("day %d = %+v, want %+v", i, days[i], want[i])
		}
	}
	clock.Advance(30 * time.Minute) // the open period keeps growing
	days, _ = s.Daily(context.Background(), "api", 1)
	if len(days) != 1 || days[0].DowntimeMinutes != 240 {
		t.Errorf("today after 30 more minutes down = %+v, want 240 downtime minutes", days)
	}
}

func pow10(x float64) float64 { return math.Pow(10, x) }
