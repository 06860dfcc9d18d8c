package store

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

func TestSnapshotBeforeAnyResult(t *testing.T) {
	t.Parallel()
	s := openTest(t, "", nil, testSpec("a"), testSpec("b"))
	snap := s.Snapshot()
	if snap == nil || snap.Version != 0 || len(snap.Services) != 2 || snap.Counts.Unknown != 2 {
		t.Fatalf("first snapshot = %+v, want version 0 with 2 unknown services", snap)
	}
	if st := snap.Services[1]; st.ID != "b" || st.Status != Unknown || st.Samples != nil || st.LastFailure != nil {
		t.Errorf("service b = %+v, want an empty Unknown state in config order", st)
	}
}

func TestSnapshotSharesUnchangedServices(t *testing.T) {
	t.Parallel()
	s := openTest(t, "", nil, testSpec("a"), testSpec("b"))
	s.Ingest(okAt("a", t0, 10*time.Millisecond))
	mustSync(t, s)
	v1 := s.Snapshot()
	s.Ingest(failAt("b", t0, "refused"))
	mustSync(t, s)
	v2 := s.Snapshot()
	if v1.Version != 1 || v2.Version != 2 {
		t.Fatalf("versions %d, %d; want 1, 2", v1.Version, v2.Version)
	}
	a1, _ := v1.Service("a")
	a2, _ := v2.Service("a")
	b2, _ := v2.Service("b")
	if a1 != a2 || a2.Version != 1 {
		t.Errorf("unchanged service a was rebuilt (same pointer %v, version %d)", a1 == a2, a2.Version)
	}
	if b2.Version != 2 || b2.ConsecutiveFails != 1 || b2.LastError != "refused" {
		t.Errorf("service b = %+v, want version 2 with one failure", b2)
	}
	if v2.Counts.Up != 1 || v2.Counts.Unknown != 1 {
		t.Errorf("counts %+v, want 1 up and 1 unknown (b is below its threshold)", v2.Counts)
	}
	if b1, _ := v1.Service("b"); b1.ConsecutiveFails != 0 {
		t.Errorf("old snapshot changed after publish: %+v", b1)
	}
	mustSync(t, s) // nothing dirty: no new version
	if s.Snapshot() != v2 {
		t.Errorf("Sync without changes published a new snapshot")
	}
}

func TestSnapshotSamplesAndLastFailure(t *testing.T) {
	t.Parallel()
	s := openTest(t, "", nil, testSpec("a"))
	s.Ingest(failAt("a", t0, "x509: certificate has expired"))
	for i := 1; i <= 400; i++ {
		s.Ingest(okAt("a", t0.Add(time.Duration(i)*10*time.Second), time.Duration(i)*time.Millisecond))
	}
	mustSync(t, s)
	st := mustState(t, s, "a")
	if len(st.Samples) != RecentSamples {
		t.Fatalf("%d samples, want %d", len(st.Samples), RecentSamples)
	}
	if first, last := st.Samples[0], st.Samples[len(st.Samples)-1]; first.LatencyUS != 281_000 || last.LatencyUS != 400_000 {
		t.Errorf("samples run %v … %v, want 281ms … 400ms oldest first", first.Latency(), last.Latency())
	}
	for _, smp := range st.Samples {
		if smp.Failed() {
			t.Fatalf("a failure is still in the recent samples: %+v", smp)
		}
	}
	if st.LastFailure == nil || st.LastFailure.Error != "x509: certificate has expired" || !st.LastFailure.At.Equal(t0) {
		t.Errorf("LastFailure = %+v, want the expired certificate at %v", st.LastFailure, t0)
	}
	if st.LastError != "" || st.LastLatency != 400*time.Millisecond || st.LastNode != "n1" {
		t.Errorf("last check = %q %v %q, want no error, 400ms, node n1", st.LastError, st.LastLatency, st.LastNode)
	}
}

func TestSubscribersCoalesceAndNeverBlock(t *testing.T) {
	t.Parallel()
	s := openTest(t, "", nil, testSpec("a"))
	reader, cancelReader := s.Subscribe()
	defer cancelReader()
	_, cancelIdle := s.Subscribe() // never reads: must not hold anything up
	defer cancelIdle()
	gone, cancelGone := s.Subscribe()
	cancelGone()
	cancelGone() // idempotent

	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 50 {
			s.Ingest(okAt("a", t0.Add(time.Duration(i)*time.Second), time.Millisecond))
			s.Sync() // one publish each
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("publishing blocked on a subscriber that never reads")
	}
	if s.Snapshot().Version != 50 {
		t.Fatalf("version %d, want 50", s.Snapshot().Version)
	}
	select {
	case <-reader:
	default:
		t.Fatal("no pending signal after 50 publishes")
	}
	select {
	case <-reader:
		t.Fatal("signals were queued, not coalesced into one")
	default:
	}
	select {
	case <-gone:
		t.Fatal("a cancelled subscriber was signalled")
	default:
	}
}

// TestPublisherCoalescesBursts runs the real publisher goroutine: a burst
// of results becomes a handful of snapshots, and the last one has them all.
func TestPublisherCoalescesBursts(t *testing.T) {
	t.Parallel()
	s, err := Open([]Spec{testSpec("a")}, Options{PublishEvery: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	changed, cancel := s.Subscribe()
	defer cancel()
	const n = 1000
	for i := range n {
		s.Ingest(okAt("a", t0.Add(time.Duration(i)*time.Second), time.Millisecond))
	}
	want := t0.Add((n - 1) * time.Second)
	deadline := time.After(10 * time.Second)
	for !mustState(t, s, "a").LastCheck.Equal(want) {
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("the last result never reached a snapshot (version %d)", s.Snapshot().Version)
		}
	}
	if v := s.Snapshot().Version; v > 20 {
		t.Errorf("%d results made %d snapshots: bursts are not coalesced", n, v)
	}
}

// TestSnapshotsUnderRace ingests from many goroutines while readers walk
// snapshots; run with -race.
func TestSnapshotsUnderRace(t *testing.T) {
	t.Parallel()
	const services, writers, perWriter = 50, 8, 500
	specs := make([]Spec, services)
	for i := range specs {
		specs[i] = testSpec(fmt.Sprintf("s%02d", i))
	}
	s, err := Open(specs, Options{Path: dbPath(t), PublishEvery: time.Millisecond, FlushEvery: 10 * time.Millisecond,
		Clock: clockwork.NewRealClock()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			changed, cancel := s.Subscribe()
			defer cancel()
			var last uint64
			for {
				snap := s.Snapshot()
				checkSnapshot(t, snap, last)
				last = snap.Version
				select {
				case <-changed:
				case <-stop:
					return
				}
			}
		}()
	}
	base := time.Now().Add(-time.Hour) // inside the real clock's uptime window
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				id := specs[(w*perWriter+i)%services].ID
				r := okAt(id, base.Add(time.Duration(i)*time.Second), time.Duration(i)*time.Microsecond)
				if i%7 == 0 {
					r = failAt(id, r.Start, "refused")
				}
				s.Ingest(r)
			}
		}()
	}
	wg.Wait()
	mustSync(t, s)
	close(stop)
	readers.Wait()
	total := 0
	for _, st := range s.Snapshot().Services {
		total += st.Uptime24h.Checks
	}
	if total != writers*perWriter {
		t.Errorf("snapshots count %d checks, want %d", total, writers*perWriter)
	}
}

func checkSnapshot(t *testing.T, snap *Snapshot, last uint64) {
	if snap.Version < last {
		t.Errorf("version went back from %d to %d", last, snap.Version)
	}
	c := snap.Counts
	if sum := c.Up + c.Degraded + c.Down + c.Unknown + c.Maintenance + c.Paused; sum != len(snap.Services) {
		t.Errorf("counts %+v add up to %d, want %d", c, sum, len(snap.Services))
	}
	for _, st := range snap.Services {
		if len(st.Samples) > RecentSamples || st.Version > snap.Version {
			t.Errorf("service %s: %d samples, version %d in snapshot %d", st.ID, len(st.Samples), st.Version, snap.Version)
		}
	}
}
