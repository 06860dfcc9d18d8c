package tui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/jonboulle/clockwork"

	"github.com/uptop-dev/uptop/store"
)

// manyServices is n services cycling through the fixture's shapes.
func manyServices(n int, version uint64) []*store.ServiceState {
	base := fixture()
	out := make([]*store.ServiceState, n)
	for i := range out {
		s := *base[i%len(base)]
		s.ID = fmt.Sprintf("svc-%04d", i)
		s.Name = fmt.Sprintf("%s %04d", s.Name, i)
		s.Version = version
		out[i] = &s
	}
	return out
}

func benchModel(b *testing.B, n int) Model {
	src := newFakeSource(manyServices(n, 1))
	m := New(src, Options{Clock: clockwork.NewFakeClockAt(t0)})
	b.Cleanup(m.Close)
	return send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
}

// BenchmarkView is the steady state: a redraw of 1,000 services at 120×40
// after the visible rows are cached (what a tick or a keypress costs).
func BenchmarkView(b *testing.B) {
	m := benchModel(b, 1000)
	_ = m.View()
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkViewAllChanged is the worst case: every visible row changed
// since the last frame (a new snapshot where everything moved).
func BenchmarkViewAllChanged(b *testing.B) {
	m := benchModel(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		m.table.theme++ // invalidates every cached row
		_ = m.View()
	}
}

// BenchmarkSnapshot is Update on a new snapshot of 1,000 services:
// filter and sort, done at most ~10 times a second.
func BenchmarkSnapshot(b *testing.B) {
	m := benchModel(b, 1000)
	snap := store.NewSnapshot(2, t0, manyServices(1000, 2))
	b.ReportAllocs()
	for b.Loop() {
		m = send(m, snapshotMsg{snap: snap})
	}
}

func TestViewRendersOnlyVisibleRows(t *testing.T) {
	t.Parallel()
	src := newFakeSource(manyServices(1000, 1))
	m := New(src, Options{Clock: clockwork.NewFakeClockAt(t0)})
	defer m.Close()
	m = send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	_ = m.View()
	if n := len(m.table.cache.rows); n == 0 || n > 40 {
		t.Errorf("%d rows rendered for a 40-line screen", n)
	}
	m = send(m, tickMsg(t0.Add(time.Second)))
	_ = m.View()
	if n := len(m.table.cache.rows); n > 40 {
		t.Errorf("%d rows rendered after a tick", n)
	}
}
