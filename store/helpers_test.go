package store

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/uptop-dev/uptop/probe"
)

var t0 = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

func testSpec(id string) Spec {
	return Spec{ID: id, Name: id, Kind: "http", Target: "https://" + id + ".example",
		Interval: 10 * time.Second, Timeout: 5 * time.Second, DegradedAfter: time.Second, FailThreshold: 2}
}

func okAt(id string, at time.Time, d time.Duration) probe.Result {
	return probe.Result{ServiceID: id, Node: "n1", Start: at, Duration: d, OK: true, Code: 200}
}

func failAt(id string, at time.Time, err string) probe.Result {
	return probe.Result{ServiceID: id, Node: "n1", Start: at, Duration: 5 * time.Millisecond, Err: err}
}

// openTest opens a store on a fake clock at t0 (or the given clock) and
// closes it when the test ends.
func openTest(t testing.TB, path string, clock clockwork.Clock, specs ...Spec) *Store {
	t.Helper()
	if clock == nil {
		clock = clockwork.NewFakeClockAt(t0)
	}
	s, err := Open(specs, Options{Path: path, Node: "n1", Clock: clock})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func dbPath(t testing.TB) string { return filepath.Join(t.TempDir(), "state", "uptop.db") }

func mustSync(t testing.TB, s *Store) {
	t.Helper()
	if err := s.Sync(); err != nil {
		t.Fatalf("Sync: %v", err)
	}
}

func mustState(t testing.TB, s *Store, id string) *ServiceState {
	t.Helper()
	st, ok := s.Snapshot().Service(id)
	if !ok {
		t.Fatalf("service %q not in the snapshot", id)
	}
	return st
}
