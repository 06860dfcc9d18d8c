package alert

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/uptop-dev/uptop/store"
)

// Delivery is one notification's latest delivery state, for the TUI and
// GET /api/v1/alerts. It never holds a secret: errors are scrubbed.
type Delivery struct {
	ID       string    `json:"id"`
	At       time.Time `json:"time"`
	Notifier string    `json:"notifier"`
	Event    Kind      `json:"event"`
	Service  string    `json:"service"`
	Result   string    `json:"result"` // pending | retrying | delivered | failed
	Attempts int       `json:"attempts"`
	Code     int       `json:"code,omitempty"`
	Error    string    `json:"error,omitempty"`
}

// Recent returns up to limit deliveries, the most recent first.
func (d *Dispatcher) Recent(limit int) []Delivery {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := min(max(limit, 0), len(d.recent))
	out := make([]Delivery, 0, n)
	for i := len(d.recent) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, d.recent[i])
	}
	return out
}

// record keeps one entry per notification, moved to the end on update.
func (d *Dispatcher) record(dl Delivery) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if i := slices.IndexFunc(d.recent, func(x Delivery) bool { return x.ID == dl.ID }); i >= 0 {
		d.recent = slices.Delete(d.recent, i, i+1)
	}
	if len(d.recent) >= maxRecent {
		d.recent = slices.Delete(d.recent, 0, 1)
	}
	d.recent = append(d.recent, dl)
}

func (d *Dispatcher) loadRecent(ctx context.Context) {
	items, err := d.opt.Outbox.OutboxRecent(ctx, maxRecent)
	if err != nil {
		d.log.Warn("alert: cannot list recent deliveries", "err", err)
		return
	}
	for i := len(items) - 1; i >= 0; i-- {
		d.record(deliveryOf(items[i]))
	}
}

func deliveryOf(it store.OutboxItem) Delivery {
	res := string(it.State)
	if it.State == store.OutboxPending && it.Attempts > 0 {
		res = "retrying"
	}
	return Delivery{ID: it.ID, At: it.Updated, Notifier: it.Notifier, Event: Kind(it.Kind), Service: it.Service,
		Result: res, Attempts: it.Attempts, Code: it.Code, Error: it.LastError}
}

func (d *Dispatcher) outboxItem(n Notification, now time.Time) (store.OutboxItem, error) {
	m, err := buildMessage(n, d.tmpls[n.Notifier], d.opt.PageURL)
	if err != nil {
		return store.OutboxItem{}, err
	}
	payload, err := json.Marshal(m)
	if err != nil {
		return store.OutboxItem{}, fmt.Errorf("encode notification: %w", err)
	}
	svc := ""
	if len(n.Events) == 1 {
		svc = n.Events[0].Service
	} else {
		svc = fmt.Sprintf("%d services", len(n.Events))
	}
	return store.OutboxItem{ID: n.ID, Notifier: n.Notifier, Kind: string(n.Kind), Service: svc, Payload: payload,
		Created: now, NextAt: now, GiveUpAt: now.Add(d.cfgs[n.Notifier].GiveUpAfter)}, nil
}

// deliverLoop sends what is due, then sleeps until the next item falls
// due, a new one is enqueued, or an attempt finishes.
func (d *Dispatcher) deliverLoop(ctx context.Context) {
	for ctx.Err() == nil {
		d.startDue(ctx)
		wait := time.Minute
		if next, ok, err := d.opt.Outbox.OutboxNext(ctx); err == nil && ok {
			wait = min(max(d.clock.Until(next), 0), wait)
		}
		t := d.clock.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-d.kick:
		case <-t.Chan():
		}
		t.Stop()
	}
	d.mu.Lock()
	busy := len(d.inflight)
	d.mu.Unlock()
	if busy > 0 {
		d.log.Info("alert: stopping with deliveries in flight; they are retried on the next start", "count", busy)
	}
}

// startDue starts one attempt per notifier whose queue head is due and
// which has no attempt in flight: notifiers never wait on each other, and
// each receives its notifications in order.
func (d *Dispatcher) startDue(ctx context.Context) {
	// A notifier busy when the query starts may finish meanwhile: its head
	// as read may be the item just delivered, so it waits for the next round.
	d.mu.Lock()
	busyBefore := make(map[string]bool, len(d.inflight))
	for n := range d.inflight {
		busyBefore[n] = true
	}
	d.mu.Unlock()
	items, err := d.opt.Outbox.OutboxDue(ctx, d.clock.Now(), 256)
	if err != nil {
		if ctx.Err() == nil {
			d.log.Error("alert: cannot read the outbox", "err", err)
		}
		return
	}
	for _, it := range items {
		d.mu.Lock()
		busy := busyBefore[it.Notifier] || d.inflight[it.Notifier]
		if !busy {
			d.inflight[it.Notifier] = true
		}
		d.mu.Unlock()
		if busy {
			continue
		}
		go func() {
			d.attempt(ctx, it)
			d.mu.Lock()
			delete(d.inflight, it.Notifier)
			d.mu.Unlock()
			d.wake()
		}()
	}
}
