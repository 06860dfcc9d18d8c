package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// history gives "api" a run that ends Down (incident open) and "web" one
// that was Degraded and recovered; "gone" is later dropped from the config.
func history(s *Store, start time.Time) {
	for i := range 150 {
		at := start.Add(time.Duration(i) * 10 * time.Second)
		s.Ingest(okAt("api", at, time.Duration(10+i)*time.Millisecond))
		web := okAt("web", at, 20*time.Millisecond)
		if i >= 100 && i < 105 {
			web.Duration = 1500 * time.Millisecond
		}
		s.Ingest(web)
		s.Ingest(okAt("gone", at, time.Millisecond))
	}
	end := start.Add(1500 * time.Second)
	s.Ingest(failAt("api", end, "connection refused"))
	s.Ingest(failAt("api", end.Add(10*time.Second), "timeout after 5s while waiting for headers"))
}

func TestReopenRestoresState(t *testing.T) {
	t.Parallel()
	path := dbPath(t)
	clock := clockwork.NewFakeClockAt(t0)
	start := t0.Add(-30 * time.Minute)
	s1, err := Open([]Spec{testSpec("api"), testSpec("web"), testSpec("gone")}, Options{Path: path, Node: "n1", Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	history(s1, start)
	if err := s1.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	before := s1.Snapshot()

	s2 := openTest(t, path, clock, testSpec("web"), testSpec("api"), testSpec("new"))
	if len(s2.Snapshot().Services) != 3 {
		t.Fatalf("services %d, want the 3 configured (gone stays on disk only)", len(s2.Snapshot().Services))
	}
	for _, id := range []string{"api", "web"} {
		was, _ := before.Service(id)
		now := mustState(t, s2, id)
		compareRestored(t, was, now)
	}
	if st := mustState(t, s2, "new"); st.Status != Unknown || st.Samples != nil {
		t.Errorf("new service = %+v, want Unknown with no samples", st)
	}
	api := mustState(t, s2, "api")
	if api.Status != Down || api.ConsecutiveFails != 2 || api.OpenIncident == nil || api.OpenIncident.Worst != Down {
		t.Errorf("api = %v, %d fails, incident %+v; want Down, 2, an open Down incident", api.Status, api.ConsecutiveFails, api.OpenIncident)
	}
	incs, err := s2.Incidents(context.Background(), "web", time.Time{}, 0)
	if err != nil || len(incs) != 1 || incs[0].Worst != Degraded || incs[0].End.IsZero() {
		t.Errorf("web incidents = %+v, %v; want one closed Degraded incident", incs, err)
	}
}

func compareRestored(t *testing.T, was, now *ServiceState) {
	t.Helper()
	if now.Status != was.Status || !now.Since.Equal(was.Since) || now.ConsecutiveFails != was.ConsecutiveFails {
		t.Errorf("%s: status %v since %v fails %d, want %v since %v fails %d", was.ID,
			now.Status, now.Since, now.ConsecutiveFails, was.Status, was.Since, was.ConsecutiveFails)
	}
	if !slices.Equal(now.Samples, was.Samples) {
		t.Errorf("%s: restored %d samples differ from the %d before", was.ID, len(now.Samples), len(was.Samples))
	}
	if now.P95Hour != was.P95Hour || now.Uptime24h != was.Uptime24h {
		t.Errorf("%s: p95 %v uptime %+v, want %v %+v", was.ID, now.P95Hour, now.Uptime24h, was.P95Hour, was.Uptime24h)
	}
	if !now.LastCheck.Equal(was.LastCheck) || now.LastLatency != was.LastLatency || now.LastError != was.LastError || now.LastNode != was.LastNode {
		t.Errorf("%s: last check %v %v %q %q, want %v %v %q %q", was.ID, now.LastCheck, now.LastLatency, now.LastError,
			now.LastNode, was.LastCheck, was.LastLatency, was.LastError, was.LastNode)
	}
	if (now.LastFailure == nil) != (was.LastFailure == nil) ||
		(was.LastFailure != nil && !sameFailure(*now.LastFailure, *was.LastFailure)) {
		t.Errorf("%s: last failure %+v, want %+v", was.ID, now.LastFailure, was.LastFailure)
	}
	if (now.OpenIncident == nil) != (was.OpenIncident == nil) ||
		(was.OpenIncident != nil && !sameIncident(*now.OpenIncident, *was.OpenIncident)) {
		t.Errorf("%s: open incident %+v, want %+v", was.ID, now.OpenIncident, was.OpenIncident)
	}
}

// TestCrashLosesOnlyTheUnflushed opens the file again while the first store
// is still running (never closed): whatever one flush wrote must be there.
func TestCrashLosesOnlyTheUnflushed(t *testing.T) {
	t.Parallel()
	path := dbPath(t)
	real := clockwork.NewRealClock()
	s1, err := Open([]Spec{testSpec("api"), testSpec("web"), testSpec("gone")},
		Options{Path: path, Node: "n1", Clock: real, FlushEvery: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s1.Close() })
	history(s1, real.Now().Add(-30*time.Minute))
	const total = 150*3 + 2
	deadline := time.Now().Add(10 * time.Second)
	for s1.w.written.Load() < total {
		if time.Now().After(deadline) {
			t.Fatalf("the writer flushed %d of %d results in 10s", s1.w.written.Load(), total)
		}
		time.Sleep(5 * time.Millisecond) // polling a deadline, not synchronising on a guess
	}
	s2 := openTest(t, path, real, testSpec("api"), testSpec("web"))
	api := mustState(t, s2, "api")
	if api.Status != Down || len(api.Samples) != RecentSamples || api.LastFailure == nil ||
		api.LastFailure.Error != "timeout after 5s while waiting for headers" || api.Uptime24h.Checks != 152 {
		t.Errorf("after the crash api = %v, %d samples, failure %+v, uptime %+v", api.Status, len(api.Samples), api.LastFailure, api.Uptime24h)
	}
	if api.OpenIncident == nil || api.OpenIncident.Cause != "timeout after 5s while waiting for headers" {
		t.Errorf("after the crash the open incident is %+v", api.OpenIncident)
	}
}

func TestOpenRefusesANewerSchema(t *testing.T) {
	t.Parallel()
	path := dbPath(t)
	s := openTest(t, path, nil, testSpec("a"))
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open([]Spec{testSpec("a")}, Options{Path: path})
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Open of a schema-99 file: %v, want a 'newer' error", err)
	}
}

func TestOpenUsesWAL(t *testing.T) {
	t.Parallel()
	s := openTest(t, dbPath(t), nil, testSpec("a"))
	var mode string
	var sync int
	conn, err := s.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.QueryRowContext(context.Background(), "PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRowContext(context.Background(), "PRAGMA synchronous").Scan(&sync); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || sync != 1 {
		t.Errorf("journal_mode %q synchronous %d, want wal and 1 (NORMAL)", mode, sync)
	}
	var v int
	if err := conn.QueryRowContext(context.Background(), "PRAGMA user_version").Scan(&v); err != nil || v != SchemaVersion() {
		t.Errorf("user_version %d (%v), want %d", v, err, SchemaVersion())
	}
	var _ *sql.DB = s.db
}

func sameFailure(a, b Failure) bool {
	return a.At.Equal(b.At) && a.Error == b.Error && a.Code == b.Code
}

func sameIncident(a, b Incident) bool {
	return a.ServiceID == b.ServiceID && a.Start.Equal(b.Start) && a.End.Equal(b.End) && a.Worst == b.Worst && a.Cause == b.Cause
}
