package statusd

import (
	"context"
	"sync"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// fakeSource serves hand-made snapshots and history: deterministic input
// for golden files and JSON shapes. The e2e tests use a real store.
type fakeSource struct {
	mu        sync.Mutex
	snap      *store.Snapshot
	subs      map[chan struct{}]bool
	days      map[string][]store.Day
	buckets   map[string][]store.Bucket
	incidents []store.Incident
	results   map[string][]probe.Result
}

var t0 = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

func (f *fakeSource) Snapshot() *store.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.snap
}

func (f *fakeSource) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	f.mu.Lock()
	f.subs[ch] = true
	f.mu.Unlock()
	return ch, func() { f.mu.Lock(); delete(f.subs, ch); f.mu.Unlock() }
}

// set publishes a new snapshot and signals subscribers without blocking.
func (f *fakeSource) set(s *store.Snapshot) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.snap = s
	for ch := range f.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

func (f *fakeSource) Results(_ context.Context, id string, _, _ time.Time, limit int) ([]probe.Result, error) {
	r := f.results[id]
	if limit > 0 && len(r) > limit {
		r = r[:limit]
	}
	return r, nil
}

func (f *fakeSource) Incidents(_ context.Context, id string, since time.Time, _ int) ([]store.Incident, error) {
	var out []store.Incident
	for _, i := range f.incidents {
		if (id == "" || i.ServiceID == id) && (i.End.IsZero() || !i.End.Before(since)) {
			out = append(out, i)
		}
	}
	return out, nil
}

func (f *fakeSource) Uptime(_ context.Context, id string, w time.Duration) (store.Uptime, error) {
	return sumDays(f.days[id], int(w/(24*time.Hour))), nil
}

func (f *fakeSource) History(_ context.Context, id string, from, to time.Time, step time.Duration) ([]store.Bucket, error) {
	return f.buckets[id], nil
}

func (f *fakeSource) Daily(_ context.Context, id string, days int) ([]store.Day, error) {
	d := f.days[id]
	if len(d) > days {
		d = d[len(d)-days:]
	}
	return d, nil
}

// world is the fixture: four services in two groups plus one ungrouped,
// covering up, degraded, down and unknown, a hostile name and a target
// that must never leak.
func world() *fakeSource {
	spec := func(id, name, group string) store.Spec {
		return store.Spec{ID: id, Name: name, Group: group, Kind: "http", Target: "https://" + id + ".internal.example/health",
			Interval: 30 * time.Second, Timeout: 5 * time.Second, DegradedAfter: time.Second, FailThreshold: 2}
	}
	samples := func(n int, lat time.Duration, st store.Status) []store.Sample {
		out := make([]store.Sample, n)
		for i := range out {
			out[i] = store.Sample{AtMilli: t0.Add(time.Duration(i-n) * 30 * time.Second).UnixMilli(), LatencyUS: uint32(lat/time.Microsecond) + uint32(i%7)*500, Status: st}
		}
		return out
	}
	inc := store.Incident{ServiceID: "db", Start: t0.Add(-10 * time.Minute), Worst: store.Down, Cause: `dial tcp 10.0.0.5:5432: connect: connection refused`}
	svcs := []*store.ServiceState{
		{Spec: spec("api", "Public API", "Public API"), Status: store.Up, Since: t0.Add(-48 * time.Hour), LastCheck: t0.Add(-5 * time.Second),
			LastLatency: 42 * time.Millisecond, LastCode: 200, P95Hour: 61 * time.Millisecond, Uptime24h: store.Uptime{Ratio: 0.9993, Checks: 2880, Fails: 2},
			Samples: samples(20, 40*time.Millisecond, store.Up), Version: 7, LastPhases: probe.Phases{DNS: time.Millisecond, Connect: 2 * time.Millisecond, FirstByte: 30 * time.Millisecond}},
		{Spec: spec("web", "Website", "Public API"), Status: store.Degraded, Since: t0.Add(-3 * time.Minute), LastCheck: t0.Add(-2 * time.Second),
			LastLatency: 1300 * time.Millisecond, LastCode: 200, P95Hour: 1250 * time.Millisecond, Uptime24h: store.Uptime{Ratio: 1, Checks: 2880},
			Samples: samples(20, 900*time.Millisecond, store.Degraded), Version: 9},
		{Spec: spec("db", "Database", ""), Status: store.Down, Since: inc.Start, LastCheck: t0.Add(-1 * time.Second),
			LastLatency: 3 * time.Millisecond, LastError: `Get "https://admin:hunter2@db.internal.example/": connection refused`,
			Uptime24h: store.Uptime{Ratio: 0.99, Checks: 1000, Fails: 10}, OpenIncident: &inc, ConsecutiveFails: 20,
			LastFailure: &store.Failure{At: t0.Add(-1 * time.Second), Error: "connection refused"}, Samples: samples(10, 3*time.Millisecond, store.Down), Version: 9},
		{Spec: spec("xss", "<script>alert(1)</script>", "Internal"), Version: 1},
	}
	f := &fakeSource{subs: map[chan struct{}]bool{}, days: map[string][]store.Day{}, buckets: map[string][]store.Bucket{},
		results: map[string][]probe.Result{}}
	f.snap = store.NewSnapshot(9, t0, svcs)
	f.days["api"] = fixtureDays(90, 3)
	f.days["web"] = fixtureDays(30, -1)
	f.buckets["api"] = fixtureBuckets(48)
	f.incidents = []store.Incident{inc, {ServiceID: "api", Start: t0.Add(-50 * time.Hour), End: t0.Add(-49 * time.Hour), Worst: store.Down, Cause: "timeout after 5s while waiting for headers"}}
	f.results["api"] = []probe.Result{{ServiceID: "api", Node: "n1", Start: t0.Add(-5 * time.Second), Duration: 42 * time.Millisecond, OK: true, Code: 200}}
	return f
}

// fixtureDays makes n days ending today; day bad (from the end) had an outage.
func fixtureDays(n, bad int) []store.Day {
	out := make([]store.Day, n)
	today := t0.Truncate(24 * time.Hour)
	for i := range out {
		d := store.Day{Date: today.AddDate(0, 0, i-n+1), Checks: 2880, HasData: true, Uptime: 1}
		if i == n-1-bad {
			d.Failures, d.DowntimeMinutes, d.Uptime = 144, 72, 0.95
		}
		out[i] = d
	}
	return out
}

func fixtureBuckets(n int) []store.Bucket {
	out := make([]store.Bucket, n)
	for i := range out {
		out[i] = store.Bucket{Start: t0.Add(time.Duration(i-n) * 30 * time.Minute), Count: 60, Uptime: 1,
			P50: 40 * time.Millisecond, P95: time.Duration(50+i%5*10) * time.Millisecond, Max: 90 * time.Millisecond}
	}
	out[10].Failures, out[10].Uptime = 6, 0.9
	return out
}
