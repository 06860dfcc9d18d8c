package store

import (
	"context"
	"database/sql"
	"fmt"
)

// backfillRollups builds the rollups of a file written before they
// existed, from its raw results and transitions. It runs once, inside the
// migration's transaction: a crash half-way leaves the old version, and
// the next Open starts over. Results are read in index order, one service
// at a time, so memory stays at one service's rows.
func backfillRollups(ctx context.Context, tx *sql.Tx) error {
	var b rollupBatch
	rows, err := tx.QueryContext(ctx, `SELECT service_id, start_ms, duration_us, ok FROM results
		ORDER BY service_id, start_ms`)
	if err != nil {
		return fmt.Errorf("read results to back-fill rollups: %w", err)
	}
	defer rows.Close()
	cur := ""
	for rows.Next() {
		var id string
		var at, us int64
		var ok bool
		if err := rows.Scan(&id, &at, &us, &ok); err != nil {
			return fmt.Errorf("read results to back-fill rollups: %w", err)
		}
		if id != cur && len(b.keys) > 0 { // a service done: write it while reading on
			if err := b.write(ctx, tx); err != nil {
				return err
			}
			b.reset()
		}
		cur = id
		b.addResult(id, at, us, ok)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read results to back-fill rollups: %w", err)
	}
	rows.Close()
	if err := b.write(ctx, tx); err != nil {
		return err
	}
	return backfillDowntime(ctx, tx)
}

// backfillDowntime adds each closed Down period to the daily rows.
func backfillDowntime(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT service_id, "from", "to", at_ms FROM transitions
		ORDER BY service_id, at_ms, rowid`)
	if err != nil {
		return fmt.Errorf("read transitions to back-fill downtime: %w", err)
	}
	defer rows.Close()
	var b rollupBatch
	downAt := map[string]int64{}
	for rows.Next() {
		var id, from, to string
		var at int64
		if err := rows.Scan(&id, &from, &to, &at); err != nil {
			return fmt.Errorf("read transitions to back-fill downtime: %w", err)
		}
		if start, ok := downAt[id]; ok && from == "down" {
			b.addDowntime(id, start, at)
			delete(downAt, id)
		}
		if to == "down" {
			downAt[id] = at
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read transitions to back-fill downtime: %w", err)
	}
	rows.Close()
	return b.write(ctx, tx)
}
