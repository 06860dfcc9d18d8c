package tui

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/jonboulle/clockwork"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// t0 is the fixed "now" of every test.
var t0 = time.Date(2025, 11, 25, 14, 15, 0, 0, time.UTC)

// fakeSource is a Source over a hand-made snapshot.
type fakeSource struct {
	mu         sync.Mutex
	snap       *store.Snapshot
	changed    chan struct{}
	results    map[string][]probe.Result
	incidents  map[string][]store.Incident
	recheckErr error
	rechecked  []string
	queries    int
}

var _ Source = (*fakeSource)(nil)

func newFakeSource(svcs []*store.ServiceState) *fakeSource {
	return &fakeSource{
		snap:      store.NewSnapshot(1, t0, svcs),
		changed:   make(chan struct{}, 1),
		results:   map[string][]probe.Result{},
		incidents: map[string][]store.Incident{},
	}
}

func (f *fakeSource) Snapshot() *store.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.snap
}

func (f *fakeSource) Subscribe() (<-chan struct{}, func()) { return f.changed, func() {} }

func (f *fakeSource) Results(_ context.Context, id string, from, to time.Time, limit int) ([]probe.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries++
	var out []probe.Result
	for _, r := range f.results[id] {
		if !r.Start.Before(from) && !r.Start.After(to) && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func (f *fakeSource) Incidents(_ context.Context, id string, _ time.Time, _ int) ([]store.Incident, error) {
	return f.incidents[id], nil
}

func (f *fakeSource) Uptime(_ context.Context, id string, w time.Duration) (store.Uptime, error) {
	switch w {
	case 24 * time.Hour:
		return store.Uptime{Ratio: 0.9995, Checks: 2880, Fails: 1}, nil
	case 7 * 24 * time.Hour:
		return store.Uptime{Ratio: 0.998, Checks: 20160, Fails: 40}, nil
	}
	return store.Uptime{}, nil
}

func (f *fakeSource) Recheck(id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rechecked = append(f.rechecked, id)
	return f.recheckErr
}

// samples makes n deterministic samples ending at t0, every 30 s, with a
// failure wherever fail(i) says so.
func samples(n int, baseMS float64, status store.Status, fail func(int) bool) []store.Sample {
	out := make([]store.Sample, n)
	for i := range out {
		lat := baseMS * (1 + 0.5*math.Sin(float64(i)/3))
		st := status
		if fail != nil && fail(i) {
			st = store.Down
		}
		out[i] = store.Sample{
			AtMilli:   t0.Add(-time.Duration(n-i) * 30 * time.Second).UnixMilli(),
			LatencyUS: uint32(lat * 1000), Status: st,
		}
	}
	return out
}

func fixture() []*store.ServiceState {
	spec := func(id, name, kind, target string, tags ...string) store.Spec {
		return store.Spec{ID: id, Name: name, Kind: kind, Target: target, Tags: tags,
			Interval: 30 * time.Second, Timeout: 5 * time.Second, DegradedAfter: time.Second, FailThreshold: 2}
	}
	up24 := store.Uptime{Ratio: 0.99953, Checks: 2880, Fails: 1}
	phases := probe.Phases{DNS: 1200 * time.Microsecond, Connect: 3 * time.Millisecond, TLS: 12 * time.Millisecond,
		FirstByte: 24 * time.Millisecond, Transfer: 800 * time.Microsecond}
	return []*store.ServiceState{
		{Spec: spec("api", "API", "http", "https://api.example.com/health", "prod", "eu"), Status: store.Up,
			Since: t0.Add(-3 * time.Hour), LastCheck: t0.Add(-12 * time.Second), LastLatency: 42 * time.Millisecond,
			LastCode: 200, LastPhases: phases, P95Hour: 61 * time.Millisecond, Uptime24h: up24,
			Samples: samples(120, 40, store.Up, nil), Version: 5},
		{Spec: spec("pg", "Postgres", "tcp", "db.internal:5432", "prod"), Status: store.Up,
			Since: t0.Add(-26 * time.Hour), LastCheck: t0.Add(-3 * time.Second), LastLatency: 900 * time.Microsecond,
			P95Hour: 2 * time.Millisecond, Uptime24h: store.Uptime{Ratio: 1, Checks: 8640},
			Samples: samples(40, 1, store.Up, nil), Version: 7},
		{Spec: spec("search", "Search", "http", "https://search.example.com/q?ping=1", "prod"), Status: store.Degraded,
			Since: t0.Add(-14 * time.Minute), LastCheck: t0.Add(-8 * time.Second), LastLatency: 1340 * time.Millisecond,
			LastCode: 200, P95Hour: 1500 * time.Millisecond, Uptime24h: store.Uptime{Ratio: 0.9977, Checks: 2880, Fails: 7},
			Samples: samples(120, 900, store.Degraded, nil), Version: 9},
		{Spec: spec("pay", "Payments gateway (EU west)", "http", "https://***@payments.example.com/v2/health/deep", "prod", "eu"),
			Status: store.Down, Since: t0.Add(-12*time.Minute - 5*time.Second), LastCheck: t0.Add(-20 * time.Second),
			LastLatency: 5 * time.Second, LastError: "connection refused", ConsecutiveFails: 24,
			P95Hour: 88 * time.Millisecond, Uptime24h: store.Uptime{Ratio: 0.9583, Checks: 2880, Fails: 120},
			Samples: samples(120, 80, store.Up, func(i int) bool { return i > 95 || i == 40 }), Version: 11},
		{Spec: spec("legacy", "Legacy FTP", "tcp", "ftp.example.com:21", "old"), Status: store.Unknown, Version: 1},
		{Spec: spec("batch", "Batch jobs", "http", "http://batch.internal/healthz"), Status: store.Paused,
			Since: t0.Add(-2 * time.Hour), Version: 2},
	}
}

// fixtureHistory fills the fake's query answers for "pay".
func fixtureHistory(f *fakeSource) {
	var rs []probe.Result
	for i := 0; i < 120; i++ { // newest first, every 30 s over the last hour
		at := t0.Add(-time.Duration(i+1) * 30 * time.Second)
		r := probe.Result{ServiceID: "pay", Start: at, Duration: time.Duration(60+20*math.Sin(float64(i)/4)) * time.Millisecond, OK: true, Code: 200}
		if i == 70 {
			r.Duration = 950 * time.Millisecond // a spike that bucketing must keep
		}
		if i < 24 || i == 79 {
			r = probe.Result{ServiceID: "pay", Start: at, Duration: 5 * time.Second, Err: "connection refused"}
		}
		rs = append(rs, r)
	}
	f.results["pay"] = rs
	f.incidents["pay"] = []store.Incident{
		{ServiceID: "pay", Start: t0.Add(-12*time.Minute - 5*time.Second), Worst: store.Down, Cause: "connection refused"},
		{ServiceID: "pay", Start: t0.Add(-40 * time.Minute), End: t0.Add(-39*time.Minute - 30*time.Second), Worst: store.Down, Cause: "timeout after 5s while waiting for headers"},
		{ServiceID: "pay", Start: t0.Add(-26 * time.Hour), End: t0.Add(-25 * time.Hour), Worst: store.Degraded, Cause: "slower than 1s"},
	}
}

// newTestModel is a model over the fixture at a fixed time and size.
func newTestModel(t testing.TB, w, h int) (Model, *fakeSource) {
	t.Helper()
	src := newFakeSource(fixture())
	fixtureHistory(src)
	m := New(src, Options{Clock: clockwork.NewFakeClockAt(t0)})
	t.Cleanup(m.Close)
	return send(m, tea.WindowSizeMsg{Width: w, Height: h}), src
}

// send runs one message through Update (ignoring the command).
func send(m Model, msg tea.Msg) Model {
	next, _ := m.Update(msg)
	return next.(Model)
}

func press(m Model, keys ...string) Model {
	for _, k := range keys {
		m = send(m, keyMsg(k))
	}
	return m
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	r := []rune(k)
	if len(r) != 1 {
		panic(fmt.Sprintf("keyMsg: unknown key %q", k))
	}
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

func typeText(m Model, s string) Model {
	for _, r := range s {
		if r == ' ' {
			m = send(m, keyMsg("space"))
			continue
		}
		m = send(m, keyMsg(string(r)))
	}
	return m
}

// plain is the view as the NoTTY profile writes it: no escape sequences.
func plain(m Model) string {
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.NoTTY}
	_, _ = w.WriteString(m.View().Content)
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui/ -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test ./tui/ -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}
