package store

import (
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/uptop-dev/uptop/probe"
)

func benchSpecs(n int) []Spec {
	specs := make([]Spec, n)
	for i := range specs {
		specs[i] = testSpec(fmt.Sprintf("service-%05d", i))
	}
	return specs
}

// BenchmarkIngest is the probe workers' cost per result with 10,000
// services, the writer flushing to a real file in the background.
func BenchmarkIngest(b *testing.B) {
	specs := benchSpecs(10_000)
	s, err := Open(specs, Options{Path: dbPath(b), Node: "n1"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var next atomic.Uint64
	start := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1)
			s.Ingest(okAt(specs[i%uint64(len(specs))].ID, start.Add(time.Duration(i)*time.Millisecond), time.Duration(i%1000)*time.Millisecond))
		}
	})
}

// BenchmarkPersist is rows/s through the writer into a real WAL file, in
// batches of 500 (FlushEvery 500ms at 1,000 results/s).
func BenchmarkPersist(b *testing.B) {
	db, err := openDB(dbPath(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	w := newWriter(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r := probe.Result{ServiceID: "service-00042", Node: "n1", Start: time.Now(), Duration: 12 * time.Millisecond, OK: true, Code: 200,
		Phases: probe.Phases{DNS: time.Millisecond, Connect: time.Millisecond, FirstByte: 9 * time.Millisecond}}
	const batch = 500
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		r.Start = r.Start.Add(time.Millisecond)
		w.add(r, nil)
		if (i+1)%batch == 0 {
			if err := w.flush(); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := w.flush(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkPublish is one snapshot rebuild with 10,000 services of which
// 100 changed, each with a full ring.
func BenchmarkPublish(b *testing.B) {
	s := filledStore(b, 10_000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		for j := range 100 {
			sv := s.services[(i*100+j)%len(s.services)]
			sv.mu.Lock()
			sv.dirty = true
			sv.mu.Unlock()
			s.pub.markDirty(sv.idx)
		}
		s.publish()
	}
}

// BenchmarkMemory10k reports the live heap of 10,000 services at a 10s
// interval with full rings (360 samples) and a published snapshot.
func BenchmarkMemory10k(b *testing.B) {
	for range b.N {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s := filledStore(b, 10_000)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "MB-heap")
		runtime.KeepAlive(s)
		s.Close()
	}
}

// filledStore fills every ring without going through the writer, so the
// setup does not spend minutes in SQLite.
func filledStore(b *testing.B, n int) *Store {
	b.Helper()
	clock := clockwork.NewFakeClockAt(t0)
	s, err := Open(benchSpecs(n), Options{Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	for _, sv := range s.services {
		sv.mu.Lock()
		for k := range len(sv.ring.slots) {
			r := okAt(sv.spec.ID, t0.Add(time.Duration(k-len(sv.ring.slots))*10*time.Second), time.Duration(k)*time.Millisecond)
			if k%50 == 0 {
				r = failAt(sv.spec.ID, r.Start, "connection refused")
			}
			sv.observe(r)
		}
		sv.dirty = true
		sv.mu.Unlock()
		s.pub.markDirty(sv.idx)
	}
	s.publish()
	return s
}

// BenchmarkOpen10k is start-up with 10,000 services, each with 10 stored
// results and one transition: the restore cost per Open.
func BenchmarkOpen10k(b *testing.B) {
	specs := benchSpecs(10_000)
	path := dbPath(b)
	s, err := Open(specs, Options{Path: path, Node: "n1"})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now().Add(-time.Hour)
	for k := range 10 {
		for _, sp := range specs {
			s.Ingest(okAt(sp.ID, start.Add(time.Duration(k)*10*time.Second), 5*time.Millisecond))
		}
		if err := s.Sync(); err != nil {
			b.Fatal(err)
		}
	}
	s.Close()
	b.ResetTimer()
	for range b.N {
		s, err := Open(specs, Options{Path: path, Node: "n1"})
		if err != nil {
			b.Fatal(err)
		}
		if st := s.Snapshot().Services[42]; len(st.Samples) != 10 || st.Status != Up {
			b.Fatalf("restored %d samples, status %v", len(st.Samples), st.Status)
		}
		s.Close()
	}
}
