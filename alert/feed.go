package alert

import (
	"context"
	"time"

	"github.com/uptop-dev/uptop/store"
)

// watcher turns successive snapshots into rules inputs: a status change is
// a transition, every sample newer than the last one seen is a check.
type watcher struct {
	rules *Rules
	prev  map[string]*store.ServiceState
}

// baseline records the first snapshot without alerting: after a restart,
// the store has restored every service's status, so an outage that began
// before it is not announced again.
func (w *watcher) baseline(snap *store.Snapshot) {
	w.prev = make(map[string]*store.ServiceState, len(snap.Services))
	for _, st := range snap.Services {
		w.rules.Baseline(st.ID, st.Name, baseStatus(st), st.Since, st.LastError)
		w.prev[st.ID] = st
	}
}

// diff feeds the rules everything that changed since the last snapshot.
func (w *watcher) diff(snap *store.Snapshot, now time.Time) []Notification {
	var out []Notification
	for _, st := range snap.Services {
		old, seen := w.prev[st.ID]
		if seen && old == st {
			continue // unchanged: the store shares unchanged states
		}
		w.prev[st.ID] = st
		if !seen {
			w.rules.Baseline(st.ID, st.Name, baseStatus(st), st.Since, st.LastError)
			continue
		}
		if st.Status != old.Status {
			tr := store.Transition{ServiceID: st.ID, From: old.Status, To: st.Status, At: st.Since, Cause: cause(st)}
			out = append(out, w.rules.Transition(tr, now)...)
		}
		for _, s := range newSamples(old, st) {
			out = append(out, w.rules.Check(st.ID, s.Status, s.Latency(), now)...)
		}
		if !st.CertExpiry.IsZero() {
			out = append(out, w.rules.Cert(st.ID, st.CertExpiry, now)...)
		}
	}
	return out
}

// baseStatus is what a service's notifiers are taken to know already: in a
// maintenance window, what the checks said (an outage announced before a
// restart inside a window is not announced again when the window ends).
func baseStatus(st *store.ServiceState) store.Status {
	if st.Status == store.Maintenance && st.CheckStatus != store.Unknown {
		return st.CheckStatus
	}
	return st.Status
}

func cause(st *store.ServiceState) string {
	if st.LastError != "" {
		return st.LastError
	}
	if st.OpenIncident != nil {
		return st.OpenIncident.Cause
	}
	return ""
}

// newSamples are st's samples taken after old's last one.
func newSamples(old, st *store.ServiceState) []store.Sample {
	var last int64 = -1 << 63
	if n := len(old.Samples); n > 0 {
		last = old.Samples[n-1].AtMilli
	}
	i := len(st.Samples)
	for i > 0 && st.Samples[i-1].AtMilli > last {
		i--
	}
	return st.Samples[i:]
}

// watch drives the rules from feed and the clock until ctx is done.
func (d *Dispatcher) watch(ctx context.Context, feed Feed) {
	changed, cancel := feed.Subscribe()
	defer cancel()
	w := &watcher{rules: d.rules}
	w.baseline(feed.Snapshot())
	close(d.ready)
	tick := d.clock.NewTicker(d.opt.TickEvery)
	defer tick.Stop()
	for {
		var ns []Notification
		select {
		case <-ctx.Done():
			return
		case <-changed:
			ns = w.diff(feed.Snapshot(), d.clock.Now())
		case <-tick.Chan():
			ns = d.rules.Tick(d.clock.Now())
		}
		if err := d.Enqueue(ctx, ns); err != nil && ctx.Err() == nil {
			// The outbox is the store's database: if it fails, say so loudly;
			// the rules have moved on, so these notifications are lost.
			d.log.Error("alert: cannot write notifications to the outbox", "count", len(ns), "err", err)
		}
	}
}
