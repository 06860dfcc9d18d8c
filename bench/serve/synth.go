package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// synth is a statusd.Source over made-up services: a still world unless
// churn flips one service at a time.
type synth struct {
	mu    sync.Mutex
	snap  *store.Snapshot
	subs  map[chan struct{}]struct{}
	days  map[string][]store.Day
	spark []store.Bucket
}

func newSynth(n int) *synth {
	now := time.Now()
	rng := rand.New(rand.NewPCG(1, 2))
	s := &synth{subs: map[chan struct{}]struct{}{}, days: map[string][]store.Day{}}
	svcs := make([]*store.ServiceState, n)
	today := now.UTC().Truncate(24 * time.Hour)
	for i := range svcs {
		id := fmt.Sprintf("svc-%04d", i)
		st := &store.ServiceState{
			Spec: store.Spec{ID: id, Name: fmt.Sprintf("Service %d", i), Group: fmt.Sprintf("Group %d", i/50), Kind: "http",
				Target: "https://" + id + ".internal/health", Interval: 10 * time.Second, Timeout: 5 * time.Second, FailThreshold: 2},
			Status: store.Up, Since: now.Add(-time.Hour), LastCheck: now, LastLatency: time.Duration(20+rng.IntN(80)) * time.Millisecond,
			P95Hour: 90 * time.Millisecond, Uptime24h: store.Uptime{Ratio: 0.999, Checks: 8640, Fails: 9}, Version: 1,
		}
		for k := range store.RecentSamples {
			st.Samples = append(st.Samples, store.Sample{AtMilli: now.Add(time.Duration(k-store.RecentSamples) * 10 * time.Second).UnixMilli(),
				LatencyUS: uint32(20000 + rng.IntN(80000)), Status: store.Up})
		}
		svcs[i] = st
		days := make([]store.Day, 90)
		for d := range days {
			days[d] = store.Day{Date: today.AddDate(0, 0, d-89), Checks: 8640, HasData: true, Uptime: 1}
			if rng.IntN(20) == 0 {
				days[d].Failures, days[d].DowntimeMinutes, days[d].Uptime = 90, 15, 1-90.0/8640
			}
		}
		s.days[id] = days
	}
	for k := range 48 {
		s.spark = append(s.spark, store.Bucket{Start: now.Add(time.Duration(k-48) * 30 * time.Minute), Count: 180, Uptime: 1,
			P50: 40 * time.Millisecond, P95: time.Duration(60+k%7*5) * time.Millisecond, Max: 120 * time.Millisecond})
	}
	s.snap = store.NewSnapshot(1, now, svcs)
	return s
}

// churn flips one service's status every period, like probes landing.
func (s *synth) churn(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.mu.Lock()
		old := s.snap
		svcs := make([]*store.ServiceState, len(old.Services))
		copy(svcs, old.Services)
		k := i % len(svcs)
		st := *svcs[k]
		st.Version = old.Version + 1
		st.LastCheck = time.Now()
		st.Status = map[bool]store.Status{true: store.Up, false: store.Degraded}[st.Status != store.Up]
		svcs[k] = &st
		s.snap = store.NewSnapshot(old.Version+1, time.Now(), svcs)
		for ch := range s.subs {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
		s.mu.Unlock()
	}
}

func (s *synth) Snapshot() *store.Snapshot { s.mu.Lock(); defer s.mu.Unlock(); return s.snap }

func (s *synth) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	return ch, func() { s.mu.Lock(); delete(s.subs, ch); s.mu.Unlock() }
}

func (s *synth) Results(context.Context, string, time.Time, time.Time, int) ([]probe.Result, error) {
	return nil, nil
}

func (s *synth) Incidents(context.Context, string, time.Time, int) ([]store.Incident, error) {
	return nil, nil
}

func (s *synth) Uptime(context.Context, string, time.Duration) (store.Uptime, error) {
	return store.Uptime{Ratio: 0.999, Checks: 1000, Fails: 1}, nil
}

func (s *synth) History(context.Context, string, time.Time, time.Time, time.Duration) ([]store.Bucket, error) {
	return s.spark, nil
}

func (s *synth) Daily(_ context.Context, id string, _ int) ([]store.Day, error) {
	return s.days[id], nil
}
