package alert

import (
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// TestRulesMaintenanceStatus: the store reports maintenance as a status;
// entering and leaving it announces nothing unless the health changed.
func TestRulesMaintenanceStatus(t *testing.T) {
	t.Parallel()
	win := []Window{{Start: t0.Add(time.Minute), Duration: time.Hour}}
	const (
		M = store.Maintenance
		U = store.Up
		D = store.Down
		G = store.Degraded
	)
	// enter and leave move the harness's clock into and out of the window
	// with the store's transitions.
	enter := func(h *harness, from store.Status) { h.wait(2 * time.Minute); h.to("api", from, M) }
	leave := func(h *harness, to store.Status) { h.wait(time.Hour); h.to("api", M, to) }
	cases := []struct {
		name string
		opt  RuleOptions
		run  func(h *harness)
		want []string
	}{
		{"up through the window", RuleOptions{GroupWindow: -1}, func(h *harness) {
			enter(h, U)
			leave(h, U)
		}, nil},
		{"down before and after: one down", RuleOptions{GroupWindow: -1}, func(h *harness) {
			h.down("api")
			enter(h, D)
			leave(h, D)
		}, []string{"ops:down:api"}},
		{"went down inside: down at the end", RuleOptions{GroupWindow: -1}, func(h *harness) {
			enter(h, U)
			h.add(h.r.Check("api", D, 0, h.clk.Now()))
			leave(h, D)
		}, []string{"ops:down:api"}},
		{"recovered inside: up at the end", RuleOptions{GroupWindow: -1}, func(h *harness) {
			h.down("api")
			enter(h, D)
			leave(h, U)
		}, []string{"ops:down:api", "ops:up:api"}},
		{"degraded before and after: one degraded", RuleOptions{GroupWindow: -1}, func(h *harness) {
			h.to("api", U, G)
			h.slow("api")
			h.slow("api")
			h.slow("api")
			enter(h, G)
			h.slow("api")
			leave(h, G)
		}, []string{"ops:degraded:api"}},
		{"window edges are not flapping", RuleOptions{GroupWindow: -1, FlapChanges: 2, FlapWindow: 3 * time.Hour}, func(h *harness) {
			h.down("api")
			enter(h, D)
			leave(h, D)
		}, []string{"ops:down:api"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tc.opt, ops(func(c *NotifierConfig) { c.On = []Kind{KindDown, KindUp, KindDegraded} }), nil, win)
			h.start("api")
			tc.run(h)
			if !slices.Equal(h.got, tc.want) {
				t.Fatalf("sent\n  %q\nwant\n  %q", h.got, tc.want)
			}
		})
	}
}

// TestWatcherMaintenanceFromStore diffs real store snapshots (the store
// sets Maintenance through Options.InMaintenance) the way the Dispatcher
// does, including a restart inside a window: "[" and "]" open and close
// the window before the next check, "r" re-takes the baseline (a restart),
// "o" and "f" are checks.
func TestWatcherMaintenanceFromStore(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, steps string
		want        []string
	}{
		{"up through a window", "o [o ]o", nil},
		{"down inside, down after", "o [f ]f", []string{"down"}},
		{"down before, up after", "o f [f ]o", []string{"down", "up"}},
		{"down before and after", "o f [f ]f", []string{"down"}},
		{"restart inside the window while down", "o f [f r ]f", []string{"down"}},
		{"restart inside the window while up", "o [o r f ]f", []string{"down"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var open atomic.Bool
			spec := store.Spec{ID: "api", Name: "API", Kind: "http", Interval: time.Minute, Timeout: time.Second, FailThreshold: 1}
			st, err := store.Open([]store.Spec{spec}, store.Options{InMaintenance: func(string, time.Time) bool { return open.Load() }})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			// The rules' own window, in the rules' time: [t0, t0+1h).
			win := []Window{{Start: t0, Duration: time.Hour}}
			newWatcher := func() *watcher {
				ns := ops()
				if err := ns[0].Validate(); err != nil {
					t.Fatal(err)
				}
				w := &watcher{rules: NewRules(RuleOptions{GroupWindow: -1}, ns, nil, win)}
				w.baseline(st.Snapshot(), t0.Add(-time.Minute))
				return w
			}
			w := newWatcher()
			now, at := t0.Add(-time.Minute), time.Now()
			var got []string
			for _, c := range strings.ReplaceAll(tc.steps, " ", "") {
				switch c {
				case '[':
					open.Store(true)
					now = t0.Add(time.Minute)
				case ']':
					open.Store(false)
					now = t0.Add(2 * time.Hour)
				case 'r':
					w = newWatcher()
				case 'o', 'f':
					at = at.Add(time.Second)
					st.Ingest(probe.Result{ServiceID: "api", Start: at, Duration: time.Millisecond, OK: c == 'o', Err: map[bool]string{false: "refused"}[c == 'o']})
					if err := st.Sync(); err != nil {
						t.Fatal(err)
					}
					for _, n := range w.diff(st.Snapshot(), now) {
						got = append(got, string(n.Kind))
					}
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("sent %q, want %q", got, tc.want)
			}
		})
	}
}
