package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/store"
)

// Deliveries makes the test source one that alerts (a DeliverySource), so
// the detail goldens show the "recent alerts" section.
func (f *fakeSource) Deliveries(id string, limit int) []Delivery {
	if id != "pay" {
		return nil
	}
	ds := []Delivery{
		{At: t0.Add(-2 * time.Minute), Notifier: "ops", Event: "down", Result: "retrying", Attempts: 3},
		{At: t0.Add(-40 * time.Minute), Notifier: "ops", Event: "up", Result: "delivered", Attempts: 1},
		{At: t0.Add(-50 * time.Minute), Notifier: "chat", Event: "down", Result: "failed", Attempts: 12},
	}
	return ds[:min(limit, len(ds))]
}

// readOnlySource hides the fake's Deliveries: a source that does not alert.
type readOnlySource struct{ Source }

func TestDetailDeliveries(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		wrap    bool
		want    []string
		notWant []string
	}{
		{name: "alerting source", want: []string{"recent alerts", "ops", "retrying, 3 attempts", "delivered, 1 attempt", "failed, 12 attempts"}},
		{name: "source without alerts", wrap: true, notWant: []string{"recent alerts"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, _ := newTestModel(t, 120, 40)
			m = press(m, "enter") // Payments, worst first
			var src Source = m.src
			if tc.wrap {
				src = readOnlySource{m.src}
			}
			m = send(m, fetchDetail(src, "pay", t0)())
			got := plain(m)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("detail view lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(got, w) {
					t.Errorf("detail view shows %q:\n%s", w, got)
				}
			}
		})
	}
}

// TestMaintenanceRow: a service the store reports in maintenance shows
// its glyph and word in the table, readable without colour.
func TestMaintenanceRow(t *testing.T) {
	t.Parallel()
	m, src := newTestModel(t, 120, 40)
	svcs := append([]*store.ServiceState(nil), src.Snapshot().Services...)
	for i, s := range svcs {
		if s.ID == "pay" {
			c := *s
			c.Status, c.Version = store.Maintenance, 99
			svcs[i] = &c
		}
	}
	m = send(m, snapshotMsg{snap: store.NewSnapshot(2, t0, svcs)})
	got := plain(m)
	for _, l := range strings.Split(got, "\n") {
		if strings.Contains(l, "Payments") {
			if !strings.Contains(l, "◆") || !strings.Contains(l, "maint") {
				t.Errorf("Payments row does not show maintenance: %q", l)
			}
			return
		}
	}
	t.Errorf("no Payments row:\n%s", got)
}
