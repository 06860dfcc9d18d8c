package store

import (
	"context"
	"fmt"
	"time"
)

// Retention: a goroutine deletes raw results older than RetainRaw, and
// rollups and transitions older than RetainRollups, a minute after Open
// (not during start-up) and then every pruneEvery. Each DELETE removes at most pruneBatch rows of one
// service through its index, so the writer never waits more than a few
// milliseconds for the lock. A service's newest transition is always kept:
// it is its restored status.
const (
	pruneEvery = time.Hour
	pruneBatch = 1000
)

func (s *Store) runPrune() {
	defer s.wg.Done()
	select {
	case <-s.clock.After(time.Minute):
	case <-s.done:
		return
	}
	t := s.clock.NewTicker(pruneEvery)
	defer t.Stop()
	for {
		if n, err := s.prune(context.Background()); err != nil {
			s.log.Error("store: could not delete old history; will retry", "err", err)
		} else if n > 0 {
			s.log.Info("store: deleted history past retention", "rows", n)
		}
		select {
		case <-t.Chan():
		case <-s.done:
			return
		}
	}
}

// prune deletes what retention no longer keeps and returns how many rows.
// It stops early, without error, when the store is closing.
func (s *Store) prune(ctx context.Context) (int64, error) {
	now := s.clock.Now()
	rawCut := now.Add(-s.opt.RetainRaw).UnixMilli()
	rollCut := now.Add(-s.opt.RetainRollups).UnixMilli()
	ids, err := s.storedServices(ctx)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, id := range ids {
		steps := []struct {
			what, sql string
			args      []any
		}{
			{"results", `DELETE FROM results WHERE rowid IN (SELECT rowid FROM results
				WHERE service_id = ? AND start_ms < ? LIMIT ?)`, []any{id, rawCut, pruneBatch}},
			{"transitions", `DELETE FROM transitions WHERE rowid IN (SELECT rowid FROM transitions
				WHERE service_id = ?1 AND at_ms < ?2 AND rowid != (SELECT rowid FROM transitions
				WHERE service_id = ?1 ORDER BY at_ms DESC, rowid DESC LIMIT 1) LIMIT ?3)`, []any{id, rollCut, pruneBatch}},
			{"hourly rollups", pruneRollups, []any{id, hourMs, rollCut, pruneBatch}},
			{"daily rollups", pruneRollups, []any{id, dayMs, rollCut, pruneBatch}},
		}
		for _, st := range steps {
			n, err := s.pruneLoop(ctx, st.sql, st.args)
			total += n
			if err != nil {
				return total, fmt.Errorf("delete old %s of %q: %w", st.what, id, err)
			}
		}
		if s.closing() {
			return total, nil
		}
	}
	return total, nil
}

// pruneRollups deletes the oldest rows of one service and period, at most
// ?4 periods' worth (WITHOUT ROWID tables have no rowid to page by).
const pruneRollups = `DELETE FROM rollups WHERE service_id = ?1 AND period_ms = ?2 AND start_ms < min(?3,
	coalesce((SELECT min(start_ms) FROM rollups WHERE service_id = ?1 AND period_ms = ?2), 0) + ?4 * ?2)`

// pruneLoop repeats one batched DELETE until it removes less than a batch.
func (s *Store) pruneLoop(ctx context.Context, query string, args []any) (int64, error) {
	var total int64
	for {
		res, err := s.db.ExecContext(ctx, query, args...)
		if err != nil {
			return total, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += n
		if n < pruneBatch || s.closing() {
			return total, nil
		}
	}
}

// storedServices lists every service the file has rows for, configured or
// not: retention applies to the history of removed services too.
func (s *Store) storedServices(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM services`)
	if err != nil {
		return nil, fmt.Errorf("list stored services: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list stored services: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (s *Store) closing() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}
