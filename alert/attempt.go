package alert

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/uptop-dev/uptop/store"
)

// attempt sends one outbox item once and records the outcome.
func (d *Dispatcher) attempt(ctx context.Context, it store.OutboxItem) {
	u := store.OutboxUpdate{Attempts: it.Attempts + 1, NextAt: it.NextAt}
	var m Message
	n, ok := d.notifiers[it.Notifier]
	err := json.Unmarshal(it.Payload, &m)
	var resp Response
	switch {
	case !ok:
		err = &SendError{Msg: "no alert named " + it.Notifier + " in the config any more", Permanent: true}
	case err != nil:
		err = &SendError{Msg: "stored notification is unreadable: " + err.Error(), Permanent: true}
	default:
		actx, cancel := context.WithTimeout(ctx, d.cfgs[it.Notifier].Timeout)
		resp, err = n.Send(actx, m)
		cancel()
	}
	if ctx.Err() != nil {
		return // shutting down: not an attempt; it is retried on the next start
	}
	now := d.clock.Now()
	u.At, u.Code = now, resp.Code
	var se *SendError
	switch {
	case err == nil:
		u.State = store.OutboxDelivered
	case errors.As(err, &se) && se.Permanent, !now.Before(it.GiveUpAt):
		u.State, u.Error = store.OutboxFailed, err.Error()
	default:
		u.State, u.Error = store.OutboxPending, err.Error()
		u.NextAt = now.Add(d.backoff(u.Attempts, resp.RetryAfter))
		if u.NextAt.After(it.GiveUpAt) {
			u.NextAt = it.GiveUpAt // one last try when giving up is due
		}
	}
	if merr := d.opt.Outbox.OutboxMark(ctx, it.ID, u); merr != nil {
		d.log.Error("alert: cannot record a delivery attempt", "id", it.ID, "err", merr)
	}
	it.Attempts, it.State, it.Code, it.LastError, it.Updated = u.Attempts, u.State, u.Code, u.Error, now
	d.record(deliveryOf(it))
	d.logAttempt(it, u)
}

func (d *Dispatcher) logAttempt(it store.OutboxItem, u store.OutboxUpdate) {
	args := []any{"id", it.ID, "notifier", it.Notifier, "event", it.Kind, "service", it.Service, "attempts", u.Attempts}
	switch u.State {
	case store.OutboxDelivered:
		d.log.Info("alert: delivered", args...)
	case store.OutboxFailed:
		d.log.Error("alert: gave up", append(args, "err", u.Error)...)
	default:
		d.log.Warn("alert: delivery failed, will retry", append(args, "err", u.Error, "next", u.NextAt)...)
	}
}

// backoff is the wait before attempt n+1: BackoffBase·2^(n-1) capped at
// BackoffMax, the upper half jittered so that many retries spread out; a
// longer Retry-After from the receiver wins.
func (d *Dispatcher) backoff(attempts int, retryAfter time.Duration) time.Duration {
	b := d.opt.BackoffBase
	for i := 1; i < attempts && b < d.opt.BackoffMax; i++ {
		b *= 2
	}
	b = min(b, d.opt.BackoffMax)
	b = b/2 + rand.N(b/2+1)
	return max(b, retryAfter)
}
