package store

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// History buckets one service's checks in [from, to) by step, oldest first:
// one bucket per step, empty ones included (Count 0), the last one possibly
// running past to. A step under an hour is computed from raw results, and
// is refused for a range that starts before raw retention (ErrBadRange);
// a step of an hour or more reads the hourly rollups (daily when from is a
// UTC midnight and step whole days), where a rollup row counts in the
// bucket holding its start and P50/P95 carry the histogram's error (see
// hist.go: within +19%/−16%). Errors wrap ErrBadRange or ErrUnknownService.
func (s *Store) History(ctx context.Context, id string, from, to time.Time, step time.Duration) ([]Bucket, error) {
	if _, ok := s.byID[id]; !ok {
		return nil, fmt.Errorf("%w %q: use the id of a configured service", ErrUnknownService, id)
	}
	n, err := bucketCount(from, to, step)
	if err != nil {
		return nil, err
	}
	out := make([]Bucket, n)
	for i := range out {
		out[i].Start = from.Add(time.Duration(i) * step)
	}
	s.syncForQuery()
	if step < time.Hour {
		if rawFrom := s.clock.Now().Add(-s.opt.RetainRaw); from.Before(rawFrom) {
			return nil, fmt.Errorf("%w: raw results are kept for %s, so a range starting before %s needs a step of 1h or more",
				ErrBadRange, s.opt.RetainRaw, rawFrom.UTC().Format(time.RFC3339))
		}
		return out, s.historyRaw(ctx, id, from, to, step, out)
	}
	period := hourMs
	if step%(24*time.Hour) == 0 && from.UnixMilli()%dayMs == 0 {
		period = dayMs
	}
	return out, s.historyRollups(ctx, id, from, to, step, period, out)
}

// bucketCount validates a History range and returns its number of buckets.
func bucketCount(from, to time.Time, step time.Duration) (int, error) {
	switch {
	case step <= 0:
		return 0, fmt.Errorf("%w: step must be positive, got %s", ErrBadRange, step)
	case from.IsZero() || to.IsZero():
		return 0, fmt.Errorf("%w: from and to are both required", ErrBadRange)
	case !from.Before(to):
		return 0, fmt.Errorf("%w: from (%s) must be before to (%s)", ErrBadRange,
			from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	}
	span := to.Sub(from)
	n := span / step
	if span%step != 0 {
		n++
	}
	if n > MaxBuckets || span == time.Duration(1<<63-1) {
		return 0, fmt.Errorf("%w: %s in steps of %s is more than %d buckets: use a larger step or a shorter range",
			ErrBadRange, span, step, MaxBuckets)
	}
	return int(n), nil
}

// historyRaw fills out from the raw results, with exact percentiles.
func (s *Store) historyRaw(ctx context.Context, id string, from, to time.Time, step time.Duration, out []Bucket) error {
	rows, err := s.q.query(ctx, `SELECT start_ms, duration_us, ok FROM results
		WHERE service_id = ? AND start_ms >= ? AND start_ms < ? AND maint = 0`, id, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return fmt.Errorf("read the history of %q: %w", id, err)
	}
	defer rows.Close()
	type lat struct{ bucket, us int64 }
	var lats []lat
	fromMs := from.UnixMilli()
	for rows.Next() {
		var at, us int64
		var ok bool
		if err := rows.Scan(&at, &us, &ok); err != nil {
			return fmt.Errorf("read the history of %q: %w", id, err)
		}
		i := int64(time.Duration(at-fromMs) * time.Millisecond / step)
		if i < 0 || i >= int64(len(out)) {
			continue
		}
		out[i].Count++
		if !ok {
			out[i].Failures++
			continue
		}
		lats = append(lats, lat{i, us})
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the history of %q: %w", id, err)
	}
	slices.SortFunc(lats, func(a, b lat) int {
		if a.bucket != b.bucket {
			return int(a.bucket - b.bucket)
		}
		return int(a.us - b.us)
	})
	vals := make([]int64, 0, 64)
	for j := 0; j < len(lats); {
		k, b := j, lats[j].bucket
		vals = vals[:0]
		for ; k < len(lats) && lats[k].bucket == b; k++ {
			vals = append(vals, lats[k].us)
		}
		out[b].P50, out[b].P95 = rankQuantile(vals, 0.50), rankQuantile(vals, 0.95)
		out[b].Max = time.Duration(vals[len(vals)-1]) * time.Microsecond
		j = k
	}
	finishBuckets(out)
	return nil
}

func finishBuckets(out []Bucket) {
	for i := range out {
		if out[i].Count > 0 {
			out[i].Uptime = float64(out[i].Count-out[i].Failures) / float64(out[i].Count)
		}
	}
}

// historyRollups fills out from rollup rows of the given period, summed
// per bucket in SQL: n buckets come back, not every row.
func (s *Store) historyRollups(ctx context.Context, id string, from, to time.Time, step time.Duration, period int64, out []Bucket) error {
	stepMs := step.Milliseconds() // step ≥ 1h here: whole milliseconds
	rows, err := s.q.query(ctx, `SELECT (start_ms - ?1) / ?2 AS b, sum(checks), sum(failures), max(latency_max_us), `+
		histCols("", true)+` FROM rollups WHERE service_id = ?3 AND period_ms = ?4 AND start_ms >= ?1 AND start_ms < ?5
		GROUP BY b`, from.UnixMilli(), stepMs, id, period, to.UnixMilli())
	if err != nil {
		return fmt.Errorf("read the rollups of %q: %w", id, err)
	}
	defer rows.Close()
	var r rollupAgg
	var i int64
	dest := []any{&i, &r.checks, &r.fails, &r.maxUS}
	for k := range r.h {
		dest = append(dest, &r.h[k])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("read the rollups of %q: %w", id, err)
		}
		if i < 0 || i >= int64(len(out)) {
			continue
		}
		b := &out[i]
		b.Count, b.Failures = int(r.checks), int(r.fails)
		b.P50, b.P95 = r.h.quantile(0.50, r.maxUS), r.h.quantile(0.95, r.maxUS)
		b.Max = time.Duration(r.maxUS) * time.Microsecond
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the rollups of %q: %w", id, err)
	}
	finishBuckets(out)
	return nil
}
