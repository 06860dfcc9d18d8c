package alert

import (
	"time"

	"github.com/uptop-dev/uptop/store"
)

// suppressed reports whether a service must stay quiet now: in a
// maintenance window or flapping. It records maintenance so that Tick can
// reconcile when the window ends.
func (r *Rules) suppressed(s *svcState, now time.Time) bool {
	s.maint = inMaintenance(r.maint, s.rule.ID, now)
	return s.maint || s.flapping
}

// downParent is the first service s depends on that is down, or "".
func (r *Rules) downParent(s *svcState) string {
	for _, p := range s.rule.DependsOn {
		if ps, ok := r.svcs[p]; ok && ps.status == store.Down {
			return p
		}
	}
	return ""
}

// reconcile announces the difference between the service's level and what
// its notifiers were last told, unless it is suppressed.
func (r *Rules) reconcile(s *svcState, now time.Time) []Notification {
	if r.suppressed(s, now) {
		return nil
	}
	lvl := s.level()
	if lvl == s.announced || lvl == store.Unknown {
		return nil
	}
	if lvl == store.Down {
		if p := r.downParent(s); p != "" {
			return r.suppressForParent(s, p, now)
		}
	}
	prev := s.announced
	s.announced = lvl
	var ev Event
	switch {
	case lvl == store.Down:
		ev = r.event(s, KindDown, now)
		s.downSince = s.since
		ev.Dependents = r.downChildren(s.rule.ID)
		for _, n := range r.notifiersFor(s, KindReminder) {
			s.notified[n.Name] = now
		}
	case lvl == store.Degraded:
		ev = r.event(s, KindDegraded, now)
		s.downSince = s.since
	case prev == store.Unknown:
		r.dirty[s.rule.ID] = true
		return nil // first sight of a healthy service: nothing to say
	default: // back up, from down or from degraded
		ev = r.event(s, KindUp, now)
		ev.Duration = s.since.Sub(s.downSince)
		ev.Dependents = r.affectedChildren(s.rule.ID)
		if prev == store.Degraded {
			ev.Error = ""
		}
	}
	ev.Previous = prev
	s.parent = ""
	r.dirty[s.rule.ID] = true
	return r.route(s, ev, now)
}

// suppressForParent keeps a dependent's down alert quiet while the service
// it depends on is down, and names it in the parent's grouped update.
func (r *Rules) suppressForParent(s *svcState, parent string, now time.Time) []Notification {
	if s.parent == parent {
		return nil
	}
	s.parent = parent
	ps := r.svcs[parent]
	for _, n := range r.notifiersFor(ps, KindDown) {
		if g := r.openGroup(n.Name, KindDown, now); g != nil {
			g.addDependent(parent, s.rule.Name)
		}
	}
	return nil
}

func (r *Rules) downChildren(id string) []string {
	var out []string
	for _, c := range r.children[id] {
		if cs := r.svcs[c]; cs != nil && cs.status == store.Down {
			out = append(out, cs.rule.Name)
		}
	}
	return out
}

func (r *Rules) affectedChildren(id string) []string {
	var out []string
	for _, c := range r.children[id] {
		if cs := r.svcs[c]; cs != nil && cs.parent == id {
			out = append(out, cs.rule.Name)
		}
	}
	return out
}

// event fills the fields every kind shares; its id is stable.
func (r *Rules) event(s *svcState, k Kind, now time.Time) Event {
	at := s.since
	if k != KindDown && k != KindUp && k != KindDegraded {
		at = now
	}
	if at.IsZero() {
		at = now
	}
	return Event{
		ID: newEventID(k, s.rule.ID, at), Kind: k, ServiceID: s.rule.ID, Service: s.rule.Name,
		Status: s.status, Previous: s.announced, At: at, Error: s.lastErr, Latency: s.latency,
	}
}

// noteChange records a status change and starts flapping when there were
// FlapChanges of them within FlapWindow.
func (r *Rules) noteChange(s *svcState, now time.Time) []Notification {
	cut := now.Add(-r.opt.FlapWindow)
	keep := s.changes[:0]
	for _, t := range s.changes {
		if t.After(cut) {
			keep = append(keep, t)
		}
	}
	s.changes = append(keep, now)
	if s.flapping || len(s.changes) < r.opt.FlapChanges || r.suppressed(s, now) {
		return nil
	}
	s.flapping = true
	ev := r.event(s, KindFlapping, now)
	ev.Duration = now.Sub(s.changes[0])
	return r.route(s, ev, now)
}

// Tick advances time: groups whose window closed are sent, flapping
// services that became stable and services whose maintenance ended are
// reconciled, and reminders fall due.
func (r *Rules) Tick(now time.Time) []Notification {
	var out []Notification
	for _, id := range r.order {
		s := r.svcs[id]
		if s.flapping && now.Sub(s.lastChange()) >= r.opt.StableAfter {
			s.flapping = false
			s.changes = s.changes[:0]
			out = append(out, r.reconcile(s, now)...)
		}
		if s.maint && !inMaintenance(r.maint, s.rule.ID, now) {
			out = append(out, r.reconcile(s, now)...)
		}
		out = append(out, r.remind(s, now)...)
	}
	return append(out, r.flush(now)...)
}

func (s *svcState) lastChange() time.Time {
	if len(s.changes) == 0 {
		return s.since
	}
	return s.changes[len(s.changes)-1]
}

// remind sends a reminder to each notifier with a repeat whose last word
// about this outage is older than its repeat.
func (r *Rules) remind(s *svcState, now time.Time) []Notification {
	if s.announced != store.Down || s.status != store.Down || r.suppressed(s, now) {
		return nil
	}
	var out []Notification
	for _, n := range r.notifiersFor(s, KindReminder) {
		if n.Repeat <= 0 || now.Sub(s.notified[n.Name]) < n.Repeat {
			continue
		}
		s.notified[n.Name] = now
		ev := r.event(s, KindReminder, now)
		ev.Duration = now.Sub(s.downSince)
		ev.Dependents = r.affectedChildren(s.rule.ID)
		out = append(out, newNotification(n.Name, KindReminder, []Event{ev}))
	}
	return out
}
