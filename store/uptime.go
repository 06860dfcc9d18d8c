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

// Uptime is a service's share of successful checks over the window ending
// now (pending writes are flushed first). Only checks count: time with no
// check (before the first, while uptop was stopped) is neither up nor down,
// and degraded checks count as up; checks made in a maintenance window count
// on neither side. A window within raw retention reads the
// raw results; a longer one reads the rollups, with its start rounded down
// to the hour (hourly rows up to the first UTC midnight, daily rows after).
func (s *Store) Uptime(ctx context.Context, id string, window time.Duration) (Uptime, error) {
	s.syncForQuery()
	now := s.clock.Now()
	var u Uptime
	var err error
	if window > s.opt.RetainRaw {
		u, err = s.uptimeRollups(ctx, id, now.Add(-window).UnixMilli())
	} else {
		err = s.q.queryRow(ctx,
			`SELECT count(*), coalesce(sum(ok = 0), 0) FROM results WHERE service_id = ? AND start_ms >= ? AND maint = 0`,
			id, now.Add(-window).UnixMilli()).Scan(&u.Checks, &u.Fails)
	}
	if err != nil {
		return Uptime{}, fmt.Errorf("read uptime of %q: %w", id, err)
	}
	if u.Checks > 0 {
		u.Ratio = float64(u.Checks-u.Fails) / float64(u.Checks)
	}
	return u, nil
}

// uptimeRollups sums at most 24 hourly rows and one daily row per day.
func (s *Store) uptimeRollups(ctx context.Context, id string, sinceMs int64) (Uptime, error) {
	hour := floorTo(sinceMs, hourMs)
	day := floorTo(hour, dayMs)
	if day < hour {
		day += dayMs
	}
	var u Uptime
	err := s.q.queryRow(ctx, `SELECT coalesce(sum(checks), 0), coalesce(sum(failures), 0) FROM rollups
		WHERE service_id = ?1 AND ((period_ms = ?2 AND start_ms >= ?3 AND start_ms < ?4) OR (period_ms = ?5 AND start_ms >= ?4))`,
		id, hourMs, hour, day, dayMs).Scan(&u.Checks, &u.Fails)
	return u, err
}
