package alert

import (
	"slices"
	"strings"
	"time"

	"github.com/uptop-dev/uptop/store"
)

// A group holds the down (or up, or degraded) alerts that reach a notifier
// within GroupWindow of one that was sent, so that a network outage is one
// leading message plus one grouped message, not one message per service.
type groupKey struct {
	notifier string
	kind     Kind
}

type group struct {
	until   time.Time
	held    []Event
	parents []string            // parents named by suppressed dependents, in order
	deps    map[string][]string // parent id → dependent names
}

func (g *group) addDependent(parent, name string) {
	if g.deps == nil {
		g.deps = map[string][]string{}
	}
	if _, ok := g.deps[parent]; !ok {
		g.parents = append(g.parents, parent)
	}
	g.deps[parent] = append(g.deps[parent], name)
}

func groupable(k Kind) bool { return k == KindDown || k == KindUp || k == KindDegraded }

// route sends ev to every notifier of the service that wants its kind,
// now or, within an open group window, at the window's end.
func (r *Rules) route(s *svcState, ev Event, now time.Time) []Notification {
	var out []Notification
	for _, n := range r.notifiersFor(s, ev.Kind) {
		if nt, ok := r.group(n.Name, ev, now); ok {
			out = append(out, nt)
		}
	}
	return out
}

func (r *Rules) group(notifier string, ev Event, now time.Time) (Notification, bool) {
	single := newNotification(notifier, ev.Kind, []Event{ev})
	if !groupable(ev.Kind) || r.opt.GroupWindow < 0 {
		return single, true
	}
	// A recovery of a down alert still held: the grouped message will say
	// it recovered meanwhile instead of announcing a stale outage.
	if ev.Kind == KindUp {
		if g := r.openGroup(notifier, KindDown, now); g != nil {
			if i := slices.IndexFunc(g.held, func(h Event) bool { return h.ServiceID == ev.ServiceID && h.Kind == KindDown }); i >= 0 {
				g.held[i] = ev
				return Notification{}, false
			}
		}
	}
	if g := r.openGroup(notifier, ev.Kind, now); g != nil {
		g.held = append(g.held, ev)
		return Notification{}, false
	}
	r.groups[groupKey{notifier, ev.Kind}] = &group{until: now.Add(r.opt.GroupWindow)}
	return single, true
}

// openGroup is the notifier's group for kind k if its window is still open.
func (r *Rules) openGroup(notifier string, k Kind, now time.Time) *group {
	if g := r.groups[groupKey{notifier, k}]; g != nil && now.Before(g.until) {
		return g
	}
	return nil
}

// flush sends every group whose window has closed, as one notification.
func (r *Rules) flush(now time.Time) []Notification {
	var keys []groupKey
	for k, g := range r.groups {
		if !now.Before(g.until) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b groupKey) int {
		return strings.Compare(a.notifier+"\x00"+string(a.kind), b.notifier+"\x00"+string(b.kind))
	})
	var out []Notification
	for _, k := range keys {
		g := r.groups[k]
		delete(r.groups, k)
		evs := g.held
		for _, p := range g.parents {
			evs = append(evs, r.dependentsUpdate(p, g.deps[p], now))
		}
		if len(evs) > 0 {
			out = append(out, newNotification(k.notifier, k.kind, evs))
		}
	}
	return out
}

// dependentsUpdate restates a parent's outage with the dependents whose
// own alerts it suppressed: "Core router down; 14 dependent services".
func (r *Rules) dependentsUpdate(parent string, names []string, now time.Time) Event {
	ps := r.svcs[parent]
	ev := r.event(ps, KindDown, now)
	ev.ID = eventID(append([]string{"dependents", parent, ev.ID}, names...)...)
	ev.Status = store.Down
	ev.Dependents = names
	return ev
}
