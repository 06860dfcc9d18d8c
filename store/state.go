package store

import (
	"fmt"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

// machine is one service's status state machine. It is not safe for
// concurrent use: the owning service's mutex guards it.
type machine struct {
	status   Status    // what the checks say, in maintenance too
	since    time.Time // when status began (or when maintenance ended)
	cause    string    // the cause of the last change of status
	fails    int       // consecutive failed checks
	incident *Incident // open incident, nil when none
	// maint overlays status with Maintenance while a window is on; changes
	// of status underneath it are silent (see maintenance.go).
	maint      bool
	maintSince time.Time
}

// step feeds one result through the machine. It returns the check's own
// verdict (for the ring) and the transition it caused, if any.
func (m *machine) step(spec *Spec, r probe.Result) (Status, *Transition) {
	verdict := Classify(*spec, r)
	next, cause := m.status, ""
	switch verdict {
	case Down:
		m.fails++
		if m.fails >= max(spec.FailThreshold, 1) {
			next, cause = Down, failCause(r)
		}
	case Degraded:
		m.fails = 0
		next, cause = Degraded, degradedCause(spec, r)
	default:
		m.fails = 0
		next = Up
	}
	if next == m.status {
		return verdict, nil
	}
	tr := &Transition{ServiceID: spec.ID, From: m.status, To: next, At: r.Start, Cause: cause, Node: r.Node}
	m.status, m.since, m.cause = next, r.Start, cause
	if m.maint {
		return verdict, nil // announced when the window ends, if still so
	}
	m.track(*tr)
	return verdict, tr
}

// track keeps the open incident in line with a transition: opened when a
// service leaves Up/Unknown for Down/Degraded, escalated, closed on Up.
func (m *machine) track(tr Transition) {
	switch {
	case tr.To == Up:
		m.incident = nil // closed; its history lives in the transitions
	case tr.To != Down && tr.To != Degraded:
	case m.incident == nil:
		m.incident = &Incident{ServiceID: tr.ServiceID, Start: tr.At, Worst: tr.To, Cause: tr.Cause}
	case tr.To == Down:
		m.incident.Worst = Down
	}
}

// degradedCause says why an OK check is degraded: its warning (a
// certificate about to expire, lost packets) before its slowness, as
// Classify weighs them.
func degradedCause(spec *Spec, r probe.Result) string {
	if r.Warning != "" {
		return r.Warning
	}
	return fmt.Sprintf("slow: %s > %s", roundDuration(r.Duration), spec.DegradedAfter)
}

func failCause(r probe.Result) string {
	switch {
	case r.Err != "":
		return r.Err
	case r.Code != 0:
		return fmt.Sprintf("unexpected status %d", r.Code)
	}
	return "check failed"
}

// roundDuration keeps three significant-ish digits: 1.23s, 456ms, 78.9µs.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= 10*time.Millisecond:
		return d.Round(time.Millisecond)
	case d >= 10*time.Microsecond:
		return d.Round(time.Microsecond)
	}
	return d
}
