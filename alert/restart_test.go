package alert

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// TestCrashLosesNoAlert runs uptop's lives on one SQLite file against a
// real loopback receiver. Steps: "o"/"f" a passing/failing check of every
// service (persisted: Sync), "s" start a dispatcher (opening the store if
// needed), "n" wait for the receiver's next message and the outbox to
// settle, "x" stop the dispatcher and close the store: a crash, since
// whatever the dispatcher had not written to the outbox is gone.
func TestCrashLosesNoAlert(t *testing.T) {
	t.Parallel()
	one := []store.Spec{{ID: "api", Name: "API", Interval: time.Second, FailThreshold: 1}}
	two := []store.Spec{
		{ID: "a", Name: "A", Interval: time.Second, FailThreshold: 1},
		{ID: "b", Name: "B", Interval: time.Second, FailThreshold: 1},
	}
	cases := []struct {
		name  string
		specs []store.Spec
		rules RuleOptions
		steps string
		want  []string
	}{
		{"crash between transition and outbox: down after restart", one, RuleOptions{}, "o s x f x s n", []string{"down:API"}},
		{"that down is sent once over two restarts", one, RuleOptions{}, "o s x f x s n x s", []string{"down:API"}},
		{"announced before the restart: not again", one, RuleOptions{}, "o s f n x s", []string{"down:API"}},
		{"announced down, recovered while stopped: up", one, RuleOptions{}, "o s f n x o x s n", []string{"down:API", "up:API"}},
		{"down and up again while stopped: nothing", one, RuleOptions{}, "o s x f o x s", nil},
		{"first start finds it down: nothing", one, RuleOptions{}, "f x s", nil},
		{"held in a group window at the crash: sent after", two, RuleOptions{GroupWindow: time.Hour}, "o s f n x s n", []string{"down:A", "down:B"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := &lives{t: t, path: filepath.Join(t.TempDir(), "uptop.db"), specs: tc.specs, rc: newReceiver(t, nil), rules: tc.rules}
			for _, step := range strings.Fields(tc.steps) {
				l.do(step)
			}
			if l.st != nil {
				settled(t, l.st) // what the last start owed is delivered before we count
			}
			l.crash()
			var got []string
			for _, c := range l.rc.requests() {
				var b webhookBody
				if err := json.Unmarshal(c.Body, &b); err != nil {
					t.Fatal(err)
				}
				for _, e := range b.Events {
					got = append(got, string(e.Type)+":"+e.Service)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("the receiver got %q, want %q", got, tc.want)
			}
		})
	}
}

// lives is one database going through starts and crashes.
type lives struct {
	t     *testing.T
	path  string
	specs []store.Spec
	rc    *receiver
	rules RuleOptions
	st    *store.Store
	stop  func()
	at    time.Time
}

func (l *lives) open() *store.Store {
	if l.st == nil {
		l.st = openStore(l.t, l.path, l.specs...)
	}
	return l.st
}

func (l *lives) do(step string) {
	t := l.t
	switch step {
	case "o", "f":
		st := l.open()
		for _, sp := range l.specs {
			l.at = time.Now()
			if step == "o" {
				st.Ingest(probe.Result{ServiceID: sp.ID, Start: l.at, Duration: time.Millisecond, OK: true, Code: 200})
			} else {
				st.Ingest(probe.Result{ServiceID: sp.ID, Start: l.at, Duration: time.Millisecond, Err: "connection refused"})
			}
		}
		if err := st.Sync(); err != nil {
			t.Fatal(err)
		}
	case "s":
		d := newTestDispatcher(t, l.open(), l.rc.URL, func(o *Options) { o.Rules = l.rules })
		l.stop = start(t, d, l.st)
	case "n":
		next(t, l.rc)
		settled(t, l.st)
	case "x":
		l.crash()
	default:
		t.Fatalf("unknown step %q", step)
	}
}

func (l *lives) crash() {
	if l.stop != nil {
		l.stop()
		l.stop = nil
	}
	if l.st != nil {
		if err := l.st.Close(); err != nil {
			l.t.Fatal(err)
		}
		l.st = nil
	}
}

// TestResumeAgainstTheRecord: Rules.Resume announces exactly the
// difference between the restored status and what was last announced.
func TestResumeAgainstTheRecord(t *testing.T) {
	t.Parallel()
	const (
		U = store.Up
		D = store.Down
		G = store.Degraded
		X = store.Unknown
	)
	cases := []struct {
		name       string
		was, now   store.Status
		want       []string
		wantRecord store.Status // what Announced then reports; Unknown = nothing to record
	}{
		{"announced up, down now", U, D, []string{"ops:down:api"}, D},
		{"announced down, down now", D, D, nil, X},
		{"announced down, up now", D, U, []string{"ops:up:api"}, U},
		{"announced up, degraded now", U, G, []string{"ops:degraded:api"}, G},
		{"never announced, down now", X, D, []string{"ops:down:api"}, D},
		{"announced down, unknown now", D, X, nil, X},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, RuleOptions{GroupWindow: -1}, ops(func(c *NotifierConfig) { c.On = []Kind{KindDown, KindUp, KindDegraded} }), nil, nil)
			was := store.AlertState{ServiceID: "api", Announced: tc.was, DownSince: t0.Add(-2 * time.Hour)}
			h.add(h.r.Resume("api", "api", tc.now, t0.Add(-time.Hour), "refused", was, t0))
			if !slices.Equal(h.got, tc.want) {
				t.Fatalf("sent %q, want %q", h.got, tc.want)
			}
			rec := h.r.Announced(t0)
			switch {
			case tc.wantRecord == X && len(rec) != 0:
				t.Fatalf("Announced = %+v, want nothing new to record", rec)
			case tc.wantRecord != X && (len(rec) != 1 || rec[0].Announced != tc.wantRecord):
				t.Fatalf("Announced = %+v, want %v", rec, tc.wantRecord)
			}
			if tc.want != nil && tc.want[0] == "ops:up:api" && h.ns[0].Events[0].Duration != time.Hour {
				t.Fatalf("up after a restart says down for %v, want 1h (from the recorded outage start)", h.ns[0].Events[0].Duration)
			}
		})
	}
}
