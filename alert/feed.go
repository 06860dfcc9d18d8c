package alert

import (
	"context"
	"time"

	"github.com/uptop-dev/uptop/store"
)

// watcher turns successive snapshots into rules inputs: a status change is
// a transition, every sample newer than the last one seen is a check.
type watcher struct {
	rules   *Rules
	prev    map[string]*store.ServiceState
	durable map[string]store.AlertState // what the notifiers were last told, as recorded
}

// baseline takes the first snapshot. A service with a recorded announced
// state resumes from it, and the difference is announced (an alert the
// last run decided on but never queued is not lost; one it queued is not
// repeated). A service with no record takes its restored status as known:
// nothing is alerted for the state found at the very first start.
func (w *watcher) baseline(snap *store.Snapshot, now time.Time) []Notification {
	w.prev = make(map[string]*store.ServiceState, len(snap.Services))
	var out []Notification
	for _, st := range snap.Services {
		out = append(out, w.first(st, now)...)
		w.prev[st.ID] = st
	}
	return out
}

func (w *watcher) first(st *store.ServiceState, now time.Time) []Notification {
	if was, ok := w.durable[st.ID]; ok {
		return w.rules.Resume(st.ID, st.Name, baseStatus(st), st.Since, st.LastError, was, now)
	}
	w.rules.Baseline(st.ID, st.Name, baseStatus(st), st.Since, st.LastError)
	return nil
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
			out = append(out, w.first(st, now)...)
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
	durable, err := d.opt.Outbox.AlertStates(ctx)
	if err != nil {
		// Without the record, fall back to the restored status: nothing is
		// repeated, but an alert a crash interrupted may be missed.
		d.log.Error("alert: cannot read what was last announced; taking the restored status as announced", "err", err)
	}
	w := &watcher{rules: d.rules, durable: durable}
	d.commit(ctx, w.baseline(feed.Snapshot(), d.clock.Now()))
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
		d.commit(ctx, ns)
	}
}

// commit writes ns and the announced states the rules moved to, in one
// transaction. Called only from the watch goroutine, which owns the rules.
func (d *Dispatcher) commit(ctx context.Context, ns []Notification) {
	states := d.rules.Announced(d.clock.Now())
	if err := d.enqueue(ctx, ns, states); err != nil && ctx.Err() == nil {
		// The outbox is the store's database: if it fails, say so loudly.
		// These notifications are lost for this run, but their announced
		// states were not recorded either, so a restart announces them.
		d.log.Error("alert: cannot write notifications to the outbox", "count", len(ns), "err", err)
	}
}
