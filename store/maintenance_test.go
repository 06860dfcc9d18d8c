package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// TestMachineMaintenance drives the state machine through window edges:
// inside a window changes are silent; leaving it says what the checks say.
func TestMachineMaintenance(t *testing.T) {
	t.Parallel()
	scenarios := []struct {
		name  string
		steps string // o = ok, f = failed check, [ = window starts, ] = window ends
		want  Status
		trs   string // transitions, "from>to" joined by spaces
	}{
		{"enter and leave while up", "o[o]", Up, "unknown>up up>maintenance maintenance>up"},
		{"goes down inside the window", "o[ff]", Down, "unknown>up up>maintenance maintenance>down"},
		{"down before, recovers inside", "ff[o]", Up, "unknown>down down>maintenance maintenance>up"},
		{"down before and after", "ff[fo f f]", Down, "unknown>down down>maintenance maintenance>down"},
		{"still in the window", "o[ff", Maintenance, "unknown>up up>maintenance"},
		{"first check inside", "[o]", Up, "unknown>maintenance maintenance>up"},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			spec := testSpec("a")
			var m machine
			var trs []string
			at := t0
			for _, c := range sc.steps {
				at = at.Add(time.Second)
				var tr *Transition
				switch c {
				case 'o':
					_, tr = m.step(&spec, okAt("a", at, time.Millisecond))
				case 'f':
					_, tr = m.step(&spec, failAt("a", at, "refused"))
				case '[', ']':
					tr = m.setMaint("a", c == '[', at, "n1")
				}
				if tr != nil {
					trs = append(trs, tr.From.String()+">"+tr.To.String())
				}
			}
			if got, _ := m.published(); got != sc.want {
				t.Errorf("status %v, want %v", got, sc.want)
			}
			if got := strings.Join(trs, " "); got != sc.trs {
				t.Errorf("transitions %q, want %q", got, sc.trs)
			}
		})
	}
}

// waitFor waits (on the store's changed signal, with a deadline) until
// cond holds for the latest snapshot.
func waitFor(t *testing.T, s *Store, what string, cond func(*Snapshot) bool) *Snapshot {
	t.Helper()
	changed, cancel := s.Subscribe()
	defer cancel()
	deadline := time.After(5 * time.Second)
	for {
		if snap := s.Snapshot(); cond(snap) {
			return snap
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// window is a one-off maintenance window over some services.
func window(start time.Time, d time.Duration, ids ...string) func(string, time.Time) bool {
	return func(id string, t time.Time) bool {
		covered := false
		for _, x := range ids {
			covered = covered || x == id
		}
		return covered && !t.Before(start) && t.Before(start.Add(d))
	}
}

func openMaint(t *testing.T, path string, clock *clockwork.FakeClock, in func(string, time.Time) bool) *Store {
	t.Helper()
	s, err := Open([]Spec{testSpec("a"), testSpec("b")}, Options{Path: path, Node: "n1", Clock: clock, InMaintenance: in})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	// The writer's and the maintenance tickers and the pruner's first wait.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := clock.BlockUntilContext(ctx, 3); err != nil {
		t.Fatalf("the store's goroutines did not start: %v", err)
	}
	return s
}

func statusIs(id string, want Status) func(*Snapshot) bool {
	return func(s *Snapshot) bool { st, _ := s.Service(id); return st != nil && st.Status == want }
}

// TestMaintenanceEdgesWithoutChecks: the ticker moves a service into and
// out of its window on time; checks inside it are kept but count in no
// uptime figure; the status afterwards is what the checks said.
func TestMaintenanceEdgesWithoutChecks(t *testing.T) {
	t.Parallel()
	clock := clockwork.NewFakeClockAt(t0)
	s := openMaint(t, dbPath(t), clock, window(t0.Add(10*time.Second), 10*time.Second, "a"))
	s.Ingest(okAt("a", t0, 10*time.Millisecond))
	s.Ingest(okAt("b", t0, 10*time.Millisecond))
	mustSync(t, s)

	clock.Advance(10 * time.Second)
	snap := waitFor(t, s, "a in maintenance", statusIs("a", Maintenance))
	if a, _ := snap.Service("a"); !a.Since.Equal(t0.Add(10 * time.Second)) {
		t.Errorf("maintenance since %v, want the window's start", a.Since)
	}
	if b, _ := snap.Service("b"); b.Status != Up || snap.Counts.Maintenance != 1 {
		t.Errorf("b = %v, counts %+v: want b up and one service in maintenance", b.Status, snap.Counts)
	}
	for i := range 3 {
		s.Ingest(failAt("a", t0.Add(time.Duration(11+i)*time.Second), "connection refused"))
	}
	mustSync(t, s)
	a := mustState(t, s, "a")
	if a.Status != Maintenance || a.CheckStatus != Down || len(a.Samples) != 4 || a.Uptime24h.Checks != 1 {
		t.Errorf("in the window: status %v (checks say %v), %d samples, 24h checks %d; want maintenance (down), 4, 1",
			a.Status, a.CheckStatus, len(a.Samples), a.Uptime24h.Checks)
	}

	clock.Advance(10 * time.Second)
	waitFor(t, s, "a down after the window", statusIs("a", Down))
	mustSync(t, s)
	ctx := context.Background()
	for _, w := range []time.Duration{24 * time.Hour, 30 * 24 * time.Hour} { // raw, then rollups
		if u, err := s.Uptime(ctx, "a", w); err != nil || u.Checks != 1 || u.Fails != 0 {
			t.Errorf("Uptime(%s) = %+v, %v; want 1 check, 0 failures (maintenance excluded)", w, u, err)
		}
	}
	trs, err := s.Transitions(ctx, "a", t0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tr := range trs {
		got = append(got, fmt.Sprintf("%v>%v %s", tr.From, tr.To, tr.Cause))
	}
	want := "maintenance>down connection refused|up>maintenance maintenance window|unknown>up "
	if strings.Join(got, "|") != want {
		t.Errorf("transitions (newest first)\n got %q\nwant %q", strings.Join(got, "|"), want)
	}
}

// TestMaintenanceRestore: a store reopened inside a window is still in
// maintenance; reopened after it, it shows what it entered the window as.
func TestMaintenanceRestore(t *testing.T) {
	t.Parallel()
	path := dbPath(t)
	in := window(t0.Add(10*time.Second), time.Hour, "a")
	clock := clockwork.NewFakeClockAt(t0)
	s := openMaint(t, path, clock, in)
	s.Ingest(failAt("a", t0, "refused"))
	s.Ingest(failAt("a", t0.Add(time.Second), "refused"))
	clock.Advance(10 * time.Second)
	waitFor(t, s, "a in maintenance", statusIs("a", Maintenance))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := openMaint(t, path, clockwork.NewFakeClockAt(t0.Add(time.Minute)), in)
	if a := mustState(t, s2, "a"); a.Status != Maintenance || a.OpenIncident == nil {
		t.Errorf("reopened inside the window: %v (incident %v), want maintenance with the outage still open", a.Status, a.OpenIncident)
	}
	s2.Close()

	s3 := openMaint(t, path, clockwork.NewFakeClockAt(t0.Add(2*time.Hour)), in)
	if a := mustState(t, s3, "a"); a.Status != Down || !a.Since.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("reopened after the window: %v since %v, want down since the reopening", a.Status, a.Since)
	}
}
