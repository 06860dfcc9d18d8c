package store

import (
	"slices"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

func TestMachine(t *testing.T) {
	t.Parallel()
	ok := func(d time.Duration) probe.Result { return probe.Result{OK: true, Duration: d, Code: 200} }
	fail := func(err string) probe.Result { return probe.Result{Err: err} }
	type tr struct {
		from, to Status
		cause    string
	}
	scenarios := []struct {
		name      string
		threshold int
		steps     []probe.Result
		want      Status
		fails     int
		trans     []tr
		incident  Status // Worst of the open incident; Unknown = none open
	}{
		{"unknown to up", 2, []probe.Result{ok(100 * time.Millisecond)}, Up, 0,
			[]tr{{Unknown, Up, ""}}, Unknown},
		{"slow is degraded", 2, []probe.Result{ok(1234 * time.Millisecond)}, Degraded, 0,
			[]tr{{Unknown, Degraded, "slow: 1.23s > 1s"}}, Degraded},
		{"at the threshold is not slow", 2, []probe.Result{ok(time.Second)}, Up, 0,
			[]tr{{Unknown, Up, ""}}, Unknown},
		{"below the threshold stays up", 2, []probe.Result{ok(0), fail("connection refused")}, Up, 1,
			[]tr{{Unknown, Up, ""}}, Unknown},
		{"threshold reached goes down", 2, []probe.Result{ok(0), fail("refused 1"), fail("refused 2")}, Down, 2,
			[]tr{{Unknown, Up, ""}, {Up, Down, "refused 2"}}, Down},
		{"unknown to down", 3, []probe.Result{fail("a"), fail("b"), fail("c")}, Down, 3,
			[]tr{{Unknown, Down, "c"}}, Down},
		{"below the threshold stays unknown", 3, []probe.Result{fail("a"), fail("b")}, Unknown, 2, nil, Unknown},
		{"threshold 1 is immediate", 1, []probe.Result{fail("timeout after 5s")}, Down, 1,
			[]tr{{Unknown, Down, "timeout after 5s"}}, Down},
		{"threshold 0 acts as 1", 0, []probe.Result{fail("x")}, Down, 1, []tr{{Unknown, Down, "x"}}, Down},
		{"status code as cause", 1, []probe.Result{{Code: 503}}, Down, 1,
			[]tr{{Unknown, Down, "unexpected status 503"}}, Down},
		{"one success recovers", 2, []probe.Result{fail("a"), fail("b"), ok(0)}, Up, 0,
			[]tr{{Unknown, Down, "b"}, {Down, Up, ""}}, Unknown},
		{"success resets the streak", 2, []probe.Result{ok(0), fail("a"), ok(0), fail("b")}, Up, 1,
			[]tr{{Unknown, Up, ""}}, Unknown},
		{"degraded escalates to down", 2, []probe.Result{ok(2 * time.Second), fail("a"), fail("b")}, Down, 2,
			[]tr{{Unknown, Degraded, "slow: 2s > 1s"}, {Degraded, Down, "b"}}, Down},
		{"down to slow stays in the incident", 1, []probe.Result{fail("a"), ok(3 * time.Second)}, Degraded, 0,
			[]tr{{Unknown, Down, "a"}, {Down, Degraded, "slow: 3s > 1s"}}, Down},
		{"a warning is the cause", 2, []probe.Result{{OK: true, Warning: "certificate expires in 9 days"}}, Degraded, 0,
			[]tr{{Unknown, Degraded, "certificate expires in 9 days"}}, Degraded},
		{"a warning outranks slowness", 2, []probe.Result{{OK: true, Duration: 2 * time.Second, Warning: "lost 1 of 3 packets"}}, Degraded, 0,
			[]tr{{Unknown, Degraded, "lost 1 of 3 packets"}}, Degraded},
		{"slow to fast recovers", 2, []probe.Result{ok(2 * time.Second), ok(0)}, Up, 0,
			[]tr{{Unknown, Degraded, "slow: 2s > 1s"}, {Degraded, Up, ""}}, Unknown},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			spec := testSpec("svc")
			spec.FailThreshold = sc.threshold
			var m machine
			var got []tr
			for i, r := range sc.steps {
				r.Start = t0.Add(time.Duration(i) * time.Minute)
				if _, tn := m.step(&spec, r); tn != nil {
					if !tn.At.Equal(r.Start) || tn.ServiceID != "svc" {
						t.Errorf("transition %+v: want At %v and ServiceID svc", tn, r.Start)
					}
					got = append(got, tr{tn.From, tn.To, tn.Cause})
				}
			}
			if m.status != sc.want || m.fails != sc.fails {
				t.Errorf("status %v fails %d, want %v fails %d", m.status, m.fails, sc.want, sc.fails)
			}
			if !slices.Equal(got, sc.trans) {
				t.Errorf("transitions %+v, want %+v", got, sc.trans)
			}
			var worst Status
			if m.incident != nil {
				worst = m.incident.Worst
			}
			if worst != sc.incident {
				t.Errorf("open incident worst %v, want %v (incident %+v)", worst, sc.incident, m.incident)
			}
		})
	}
}

func TestIncidentStartsAtOpeningTransition(t *testing.T) {
	t.Parallel()
	spec := testSpec("svc")
	var m machine
	steps := []probe.Result{{OK: true, Duration: 2 * time.Second}, {Err: "a"}, {Err: "b"}}
	for i, r := range steps {
		r.Start = t0.Add(time.Duration(i) * time.Minute)
		m.step(&spec, r)
	}
	if m.incident == nil || !m.incident.Start.Equal(t0) || m.incident.Cause != "slow: 2s > 1s" {
		t.Fatalf("incident %+v, want start %v cause %q", m.incident, t0, "slow: 2s > 1s")
	}
}
