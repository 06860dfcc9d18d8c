package alert

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/uptop-dev/uptop/store"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) // a Sunday

// harness drives Rules on a fake clock and collects what it sends as
// "notifier:kind:service,service" lines.
type harness struct {
	t   *testing.T
	r   *Rules
	clk *clockwork.FakeClock
	got []string
	ns  []Notification
}

func newHarness(t *testing.T, opt RuleOptions, ns []NotifierConfig, svcs []ServiceRule, maint []Window) *harness {
	for i := range ns {
		if err := ns[i].Validate(); err != nil {
			t.Fatal(err)
		}
	}
	return &harness{t: t, r: NewRules(opt, ns, svcs, maint), clk: clockwork.NewFakeClockAt(t0)}
}

func (h *harness) add(ns []Notification) {
	for _, n := range ns {
		var names []string
		for _, e := range n.Events {
			s := e.Service
			if len(e.Dependents) > 0 {
				s += "+" + strings.Join(e.Dependents, "+")
			}
			if e.Kind != n.Kind {
				s += "(" + string(e.Kind) + ")"
			}
			names = append(names, s)
		}
		h.got = append(h.got, fmt.Sprintf("%s:%s:%s", n.Notifier, n.Kind, strings.Join(names, ",")))
		h.ns = append(h.ns, n)
	}
}

func (h *harness) to(id string, from, to store.Status) {
	h.add(h.r.Transition(store.Transition{ServiceID: id, From: from, To: to, At: h.clk.Now(), Cause: "boom"}, h.clk.Now()))
}

func (h *harness) down(id string) { h.to(id, store.Up, store.Down) }
func (h *harness) up(id string)   { h.to(id, store.Down, store.Up) }

func (h *harness) slow(id string) {
	h.add(h.r.Check(id, store.Degraded, 2*time.Second, h.clk.Now()))
}

func (h *harness) wait(d time.Duration) {
	h.clk.Advance(d)
	h.add(h.r.Tick(h.clk.Now()))
}

func (h *harness) start(ids ...string) {
	for _, id := range ids {
		h.r.Baseline(id, id, store.Up, t0.Add(-time.Hour), "")
	}
}

func ops(mod ...func(*NotifierConfig)) []NotifierConfig {
	c := NotifierConfig{Name: "ops", Type: "webhook", URL: "http://x"}
	for _, m := range mod {
		m(&c)
	}
	return []NotifierConfig{c}
}

func TestRules(t *testing.T) {
	t.Parallel()
	noGroup := RuleOptions{GroupWindow: -1}
	cases := []struct {
		name  string
		opt   RuleOptions
		ns    []NotifierConfig
		svcs  []ServiceRule
		maint []Window
		run   func(h *harness)
		want  []string
	}{
		{name: "down then up", opt: noGroup, ns: ops(), run: func(h *harness) {
			h.start("api")
			h.down("api")
			h.wait(5 * time.Minute)
			h.up("api")
		}, want: []string{"ops:down:api", "ops:up:api"}},
		{name: "healthy at first sight is silent, down at first sight is not", opt: noGroup, ns: ops(), run: func(h *harness) {
			h.to("a", store.Unknown, store.Up)
			h.to("b", store.Unknown, store.Down)
		}, want: []string{"ops:down:b"}},
		{name: "restored outage is not announced again", opt: noGroup, ns: ops(), run: func(h *harness) {
			h.r.Baseline("api", "API", store.Down, t0.Add(-time.Hour), "refused")
			h.wait(time.Minute)
			h.up("api")
		}, want: []string{"ops:up:API"}},
		{name: "degraded after 3 slow checks in a row", opt: noGroup, ns: ops(func(c *NotifierConfig) { c.On = []Kind{KindDegraded, KindUp} }), run: func(h *harness) {
			h.start("api")
			h.to("api", store.Up, store.Degraded)
			h.slow("api")
			h.slow("api")
			h.to("api", store.Degraded, store.Up) // the run is broken
			h.add(h.r.Check("api", store.Up, time.Millisecond, h.clk.Now()))
			h.to("api", store.Up, store.Degraded)
			h.slow("api")
			h.slow("api")
			h.slow("api")
			h.slow("api")
			h.to("api", store.Degraded, store.Up)
		}, want: []string{"ops:degraded:api", "ops:up:api"}},
		{name: "degraded threshold per service", opt: noGroup, ns: ops(func(c *NotifierConfig) { c.On = []Kind{KindDegraded} }),
			svcs: []ServiceRule{{ID: "api", DegradedThreshold: 1}}, run: func(h *harness) {
				h.start("api")
				h.to("api", store.Up, store.Degraded)
				h.slow("api")
			}, want: []string{"ops:degraded:api"}},
		{name: "reminder every repeat while down", opt: noGroup, ns: ops(func(c *NotifierConfig) { c.Repeat = time.Hour }), run: func(h *harness) {
			h.start("api")
			h.down("api")
			h.wait(59 * time.Minute)
			h.wait(time.Minute)
			h.wait(30 * time.Minute)
			h.wait(30 * time.Minute)
			h.up("api")
			h.wait(2 * time.Hour)
		}, want: []string{"ops:down:api", "ops:reminder:api", "ops:reminder:api", "ops:up:api"}},
		{name: "flapping: one alert, quiet, then the settled state", opt: RuleOptions{GroupWindow: -1, FlapChanges: 5, FlapWindow: 30 * time.Minute, StableAfter: 10 * time.Minute}, ns: ops(), run: func(h *harness) {
			h.start("api")
			for range 4 {
				h.down("api")
				h.wait(time.Minute)
				h.up("api")
				h.wait(time.Minute)
			}
			h.down("api")
			h.wait(9 * time.Minute)
			h.wait(2 * time.Minute)
		}, want: []string{"ops:down:api", "ops:up:api", "ops:down:api", "ops:up:api", "ops:flapping:api", "ops:down:api"}},
		{name: "grouping: one message now, one for the rest", ns: ops(), run: func(h *harness) {
			h.start("a", "b", "c", "d")
			h.down("a")
			h.down("b")
			h.down("c")
			h.wait(10 * time.Second)
			h.down("d")
			h.wait(20 * time.Second)
			h.wait(time.Minute)
		}, want: []string{"ops:down:a", "ops:down:b,c,d"}},
		{name: "grouping: recovered meanwhile", ns: ops(), run: func(h *harness) {
			h.start("a", "b")
			h.down("a")
			h.down("b")
			h.up("b")
			h.wait(30 * time.Second)
		}, want: []string{"ops:down:a", "ops:down:b(up)"}},
		{name: "dependencies: children named in the parent's alert", ns: ops(),
			svcs: []ServiceRule{{ID: "router"}, {ID: "x", DependsOn: []string{"router"}}, {ID: "y", DependsOn: []string{"router"}}},
			run: func(h *harness) {
				h.start("router", "x", "y")
				h.down("router")
				h.down("x")
				h.down("y")
				h.wait(30 * time.Second)
				h.up("router")
				h.up("x")
				h.up("y")
			}, want: []string{"ops:down:router", "ops:down:router+x+y", "ops:up:router+x+y"}},
		{name: "dependencies: a child still down after the parent is back", opt: noGroup, ns: ops(),
			svcs: []ServiceRule{{ID: "router"}, {ID: "x", DependsOn: []string{"router"}}},
			run: func(h *harness) {
				h.start("router", "x")
				h.down("router")
				h.down("x")
				h.up("router")
				h.add(h.r.Check("x", store.Down, 0, h.clk.Now()))
			}, want: []string{"ops:down:router", "ops:up:router+x", "ops:down:x"}},
		{name: "maintenance one-off: down through the window alerts at its end", opt: noGroup, ns: ops(),
			maint: []Window{{Start: t0.Add(time.Minute), Duration: time.Hour}}, run: func(h *harness) {
				h.start("api", "db")
				h.wait(2 * time.Minute)
				h.down("api")
				h.down("db")
				h.wait(10 * time.Minute)
				h.up("db")
				h.wait(50 * time.Minute)
				h.wait(time.Minute)
			}, want: []string{"ops:down:api"}},
		{name: "maintenance weekly covers only its services", opt: noGroup, ns: ops(),
			maint: []Window{{Services: []string{"api"}, Every: mustWeekly("sun 11:30"), Duration: time.Hour}}, run: func(h *harness) {
				h.start("api", "db")
				h.down("api")
				h.down("db")
				h.up("api")
				h.wait(2 * time.Hour)
			}, want: []string{"ops:down:db"}},
		{name: "routing: alerts and on", opt: noGroup,
			ns:   []NotifierConfig{{Name: "ops", Type: "webhook", URL: "http://x"}, {Name: "chat", Type: "slack", URL: "http://y", On: []Kind{KindDown}}},
			svcs: []ServiceRule{{ID: "api"}, {ID: "db", Alerts: []string{"chat"}}}, run: func(h *harness) {
				h.start("api", "db")
				h.down("api")
				h.down("db")
				h.up("api")
				h.up("db")
			}, want: []string{"ops:down:api", "chat:down:api", "chat:down:db", "ops:up:api"}},
		{name: "cert expiry once per certificate", opt: noGroup, ns: ops(func(c *NotifierConfig) { c.On = []Kind{KindCertExpiry} }), run: func(h *harness) {
			h.start("api")
			h.add(h.r.Cert("api", t0.Add(30*24*time.Hour), h.clk.Now()))
			h.add(h.r.Cert("api", t0.Add(10*24*time.Hour), h.clk.Now()))
			h.add(h.r.Cert("api", t0.Add(10*24*time.Hour), h.clk.Now()))
			h.add(h.r.Cert("api", t0.Add(9*24*time.Hour), h.clk.Now()))
		}, want: []string{"ops:cert_expiry:api", "ops:cert_expiry:api"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tc.opt, tc.ns, tc.svcs, tc.maint)
			tc.run(h)
			if !slices.Equal(h.got, tc.want) {
				t.Fatalf("sent\n  %q\nwant\n  %q", h.got, tc.want)
			}
			ids := map[string]bool{}
			for _, n := range h.ns {
				if ids[n.ID] {
					t.Fatalf("notification id %s used twice", n.ID)
				}
				ids[n.ID] = true
			}
		})
	}
}

func mustWeekly(s string) Weekly {
	w, err := ParseWeekly(s, nil)
	if err != nil {
		panic(err)
	}
	return w
}
