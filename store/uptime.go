package store

import (
	"context"
	"fmt"
	"time"
)

// hours are rolling hourly (checks, fails) counters for Uptime24h: 24 slots
// indexed by hour-of-epoch mod 24, so the live figure never touches disk.
type hours [24]hourBucket

type hourBucket struct {
	hour         int32 // hours since the Unix epoch
	count, fails uint32
}

func hourOf(ms int64) int32 { return int32(ms / int64(time.Hour/time.Millisecond)) }

func (h *hours) add(atMs int64, count, fails uint32) {
	hr := hourOf(atMs)
	b := &h[int(hr)%len(h)]
	if b.hour != hr {
		if hr < b.hour {
			return // older than a day: outside the window anyway
		}
		*b = hourBucket{hour: hr}
	}
	b.count += count
	b.fails += fails
}

// uptime sums the buckets of the 24 hours up to and including now's hour.
func (h *hours) uptime(now time.Time) Uptime {
	cur := hourOf(now.UnixMilli())
	var u Uptime
	for _, b := range h {
		if b.hour > cur-int32(len(h)) && b.hour <= cur {
			u.Checks += int(b.count)
			u.Fails += int(b.fails)
		}
	}
	if u.Checks > 0 {
		u.Ratio = float64(u.Checks-u.Fails) / float64(u.Checks)
	}
	return u
}

// Uptime computes a service's uptime over the window ending now from the
// stored results (pending writes are flushed first).
func (s *Store) Uptime(ctx context.Context, id string, window time.Duration) (Uptime, error) {
	s.syncForQuery()
	since := s.clock.Now().Add(-window).UnixMilli()
	var u Uptime
	var fails *int64
	err := s.q.queryRow(ctx,
		`SELECT count(*), sum(ok = 0) FROM results WHERE service_id = ? AND start_ms >= ?`,
		id, since).Scan(&u.Checks, &fails)
	if err != nil {
		return Uptime{}, fmt.Errorf("read uptime of %q: %w", id, err)
	}
	if fails != nil {
		u.Fails = int(*fails)
	}
	if u.Checks > 0 {
		u.Ratio = float64(u.Checks-u.Fails) / float64(u.Checks)
	}
	return u, nil
}
