package store

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Daily is one Day per UTC day, oldest first, ending today: days entries,
// from the daily rollups (days without checks have HasData false). Down time
// comes from the transitions, clipped to each day: closed Down periods are
// in the rollups, and a Down period still open is added up to now from the
// live state. Errors wrap ErrBadRange or ErrUnknownService.
func (s *Store) Daily(ctx context.Context, id string, days int) ([]Day, error) {
	sv, ok := s.byID[id]
	if !ok {
		return nil, fmt.Errorf("%w %q: use the id of a configured service", ErrUnknownService, id)
	}
	if days < 1 || days > MaxDays {
		return nil, fmt.Errorf("%w: days must be between 1 and %d, got %d", ErrBadRange, MaxDays, days)
	}
	s.syncForQuery() // before reading the live state: an interval is never counted twice
	now := s.clock.Now().UnixMilli()
	first := floorTo(now, dayMs) - int64(days-1)*dayMs
	aggs := make([]rollupAgg, days)
	rows, err := s.q.query(ctx, `SELECT start_ms, checks, failures, downtime_ms FROM rollups
		WHERE service_id = ? AND period_ms = ? AND start_ms >= ?`, id, dayMs, first)
	if err != nil {
		return nil, fmt.Errorf("read the daily rollups of %q: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var start int64
		var r rollupAgg
		if err := rows.Scan(&start, &r.checks, &r.fails, &r.downMs); err != nil {
			return nil, fmt.Errorf("read the daily rollups of %q: %w", id, err)
		}
		if i := (start - first) / dayMs; i >= 0 && i < int64(days) {
			aggs[i].merge(&r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the daily rollups of %q: %w", id, err)
	}
	rows.Close()
	sv.mu.Lock()
	down, since := sv.m.status == Down && !sv.m.maint, sv.m.since.UnixMilli()
	sv.mu.Unlock()
	if down {
		for i := range aggs {
			d := first + int64(i)*dayMs
			aggs[i].downMs += max(min(now, d+dayMs)-max(since, d), 0)
		}
	}
	return toDays(aggs, first), nil
}

func toDays(aggs []rollupAgg, first int64) []Day {
	out := make([]Day, len(aggs))
	for i := range aggs {
		a := &aggs[i]
		out[i] = Day{
			Date:            time.UnixMilli(first + int64(i)*dayMs).UTC(),
			Checks:          int(a.checks),
			Failures:        int(a.fails),
			DowntimeMinutes: int(math.Ceil(float64(a.downMs) / 60_000)), // any time Down shows
			HasData:         a.checks > 0,
		}
		if a.checks > 0 {
			out[i].Uptime = float64(a.checks-a.fails) / float64(a.checks)
		}
	}
	return out
}
