package alert

import (
	"time"

	"github.com/uptop-dev/uptop/store"
)

// Resume is Baseline for a service whose notifiers' last word is on record
// (store.AlertState, written with the outbox rows that said it): the rules
// take the store's restored status as it is and was as what was announced,
// then announce the difference. So an outage the store persisted just
// before a crash, whose alert never reached the outbox, is announced after
// the restart, once; an outage that was announced is not announced again.
func (r *Rules) Resume(id, name string, status store.Status, since time.Time, lastErr string, was store.AlertState, now time.Time) []Notification {
	r.Baseline(id, name, status, since, lastErr)
	s := r.svcs[id]
	s.announced, s.downSince = was.Announced, was.DownSince
	delete(r.dirty, id) // the record already says it
	return r.reconcile(s, now)
}

// Announced drains the announced states that changed since the last call,
// for the caller to write with the notifications that announce them. A
// service whose announcement is still held in a group window is kept back
// until the group is sent: recording it earlier would let a crash inside
// the window lose the alert.
func (r *Rules) Announced(now time.Time) []store.AlertState {
	if len(r.dirty) == 0 {
		return nil
	}
	held := map[string]bool{}
	for _, g := range r.groups {
		for _, ev := range g.held {
			held[ev.ServiceID] = true
		}
	}
	var out []store.AlertState
	for _, id := range r.order {
		if !r.dirty[id] || held[id] {
			continue
		}
		delete(r.dirty, id)
		s := r.svcs[id]
		out = append(out, store.AlertState{ServiceID: id, Announced: s.announced, DownSince: s.downSince, Updated: now})
	}
	return out
}
