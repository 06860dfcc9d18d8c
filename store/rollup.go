package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Rollups: one row per (service, period, period start) for hourly and daily
// periods, kept for Options.RetainRollups, so long windows read a few
// hundred rows instead of millions of results. The writer upserts the
// rows a batch touches in the batch's own transaction; the counts and the
// histogram are sums, so an upsert merges in SQL without reading the row.
// Latency figures are of successful checks only, like Bucket's.

const (
	hourMs = int64(time.Hour / time.Millisecond)
	dayMs  = 24 * hourMs
)

func rollupsSchema() string {
	var b strings.Builder
	b.WriteString(`CREATE TABLE rollups (
		service_id     TEXT NOT NULL,
		period_ms      INTEGER NOT NULL, -- 3600000 hourly, 86400000 daily (UTC)
		start_ms       INTEGER NOT NULL,
		checks         INTEGER NOT NULL DEFAULT 0,
		failures       INTEGER NOT NULL DEFAULT 0,
		latency_sum_us INTEGER NOT NULL DEFAULT 0,
		latency_max_us INTEGER NOT NULL DEFAULT 0,
		downtime_ms    INTEGER NOT NULL DEFAULT 0, -- daily rows: time spent Down
		`)
	// A zero column costs one header byte: as small as a blob, and it lets
	// an upsert add histograms in SQL.
	for i := range histBuckets {
		fmt.Fprintf(&b, "h%d INTEGER NOT NULL DEFAULT 0,\n\t\t", i)
	}
	b.WriteString("PRIMARY KEY (service_id, period_ms, start_ms)\n\t) WITHOUT ROWID;")
	return b.String()
}

// histCols is "h0, h1, …" for queries.
func histCols(prefix string, sum bool) string {
	cols := make([]string, histBuckets)
	for i := range cols {
		if sum {
			cols[i] = fmt.Sprintf("sum(%sh%d)", prefix, i)
		} else {
			cols[i] = fmt.Sprintf("%sh%d", prefix, i)
		}
	}
	return strings.Join(cols, ", ")
}

func upsertRollupSQL() string {
	var set strings.Builder
	for i := range histBuckets {
		fmt.Fprintf(&set, ", h%d = h%d + excluded.h%d", i, i, i)
	}
	return `INSERT INTO rollups (service_id, period_ms, start_ms, checks, failures, latency_sum_us, latency_max_us, downtime_ms, ` +
		histCols("", false) + `) VALUES (?` + strings.Repeat(", ?", 7+histBuckets) + `)
		ON CONFLICT (service_id, period_ms, start_ms) DO UPDATE SET checks = checks + excluded.checks,
		failures = failures + excluded.failures, latency_sum_us = latency_sum_us + excluded.latency_sum_us,
		latency_max_us = max(latency_max_us, excluded.latency_max_us), downtime_ms = downtime_ms + excluded.downtime_ms` +
		set.String()
}

type rollupKey struct {
	id            string
	period, start int64
}

type rollupAgg struct {
	checks, fails int64
	sumUS, maxUS  int64 // successful checks
	downMs        int64
	h             hist
}

func (a *rollupAgg) addResult(us int64, ok bool) {
	a.checks++
	if !ok {
		a.fails++
		return
	}
	a.sumUS += us
	a.maxUS = max(a.maxUS, us)
	a.h.add(us)
}

func (a *rollupAgg) merge(o *rollupAgg) {
	a.checks += o.checks
	a.fails += o.fails
	a.sumUS += o.sumUS
	a.maxUS = max(a.maxUS, o.maxUS)
	a.downMs += o.downMs
	a.h.merge(&o.h)
}

// rollupBatch gathers the rows one write touches. It is reused across
// batches (reset) so a steady stream allocates nothing per result.
type rollupBatch struct {
	idx  map[rollupKey]int
	aggs []rollupAgg
	keys []rollupKey
	args []any
}

func (b *rollupBatch) reset() {
	clear(b.idx)
	b.aggs, b.keys = b.aggs[:0], b.keys[:0]
}

func (b *rollupBatch) agg(id string, period, atMs int64) *rollupAgg {
	k := rollupKey{id, period, floorTo(atMs, period)}
	if i, ok := b.idx[k]; ok {
		return &b.aggs[i]
	}
	if b.idx == nil {
		b.idx = make(map[rollupKey]int)
	}
	b.idx[k] = len(b.aggs)
	b.keys = append(b.keys, k)
	b.aggs = append(b.aggs, rollupAgg{})
	return &b.aggs[len(b.aggs)-1]
}

func (b *rollupBatch) addResult(id string, atMs, us int64, ok bool) {
	b.agg(id, hourMs, atMs).addResult(us, ok)
	b.agg(id, dayMs, atMs).addResult(us, ok)
}

// addDowntime adds the Down interval [fromMs, toMs) to the daily rows it
// spans, clipped to each UTC day.
func (b *rollupBatch) addDowntime(id string, fromMs, toMs int64) {
	for d := floorTo(fromMs, dayMs); d < toMs; d += dayMs {
		if ms := min(toMs, d+dayMs) - max(fromMs, d); ms > 0 {
			b.agg(id, dayMs, d).downMs += ms
		}
	}
}

// write upserts every gathered row in tx.
func (b *rollupBatch) write(ctx context.Context, tx *sql.Tx) error {
	if len(b.keys) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, upsertRollupSQL())
	if err != nil {
		return fmt.Errorf("prepare the rollup upsert: %w", err)
	}
	defer stmt.Close()
	for i, k := range b.keys {
		a := &b.aggs[i]
		b.args = append(b.args[:0], k.id, k.period, k.start, a.checks, a.fails, a.sumUS, a.maxUS, a.downMs)
		for _, c := range a.h {
			b.args = append(b.args, int64(c))
		}
		if _, err := stmt.ExecContext(ctx, b.args...); err != nil {
			return fmt.Errorf("update the rollups of %q: %w", k.id, err)
		}
	}
	return nil
}

// floorTo rounds ms down to a multiple of period (also before 1970).
func floorTo(ms, period int64) int64 {
	q := ms / period
	if ms%period < 0 {
		q--
	}
	return q * period
}

// downSince is the start of the Down period a transition out of Down ends:
// the service's latest transition into Down, read before the new one is
// inserted. ok is false when retention already removed it.
func downSince(ctx context.Context, tx *sql.Tx, id string) (int64, bool, error) {
	var at int64
	err := tx.QueryRowContext(ctx, `SELECT at_ms FROM transitions WHERE service_id = ? AND "to" = 'down'
		ORDER BY at_ms DESC, rowid DESC LIMIT 1`, id).Scan(&at)
	if err == sql.ErrNoRows {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("find when %q went down: %w", id, err)
	}
	return at, true, nil
}
