package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/uptop-dev/uptop/probe"
)

// maxPending bounds the unwritten batch: beyond it the oldest results are
// dropped (and counted) rather than ever blocking Ingest.
const maxPending = 100_000

const insertResult = `INSERT INTO results (service_id, node, start_ms, duration_us, ok, code, error,
	dns_us, connect_us, tls_us, first_byte_us, transfer_us, cert_expiry_ms, scheduled_ms, maint,
	cert_issuer, chain_valid, loss, warning)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const insertTransition = `INSERT INTO transitions (service_id, "from", "to", at_ms, cause, node) VALUES (?, ?, ?, ?, ?, ?)`

// writer batches results and transitions in memory and commits each batch
// in one transaction.
type writer struct {
	db  *sql.DB
	log *slog.Logger
	max int // pending results bound (maxPending; smaller in tests)

	mu      sync.Mutex // guards the pending batch
	results []probe.Result
	maint   []bool // maint[i]: results[i] was taken in a maintenance window
	trans   []Transition

	flushMu sync.Mutex // one flush at a time; guards the spare buffers
	spareR  []probe.Result
	spareM  []bool
	spareT  []Transition
	roll    rollupBatch // the rollup rows of the batch being committed

	dropped atomic.Uint64 // results dropped because the writer fell behind
	written atomic.Uint64 // results committed
}

func newWriter(db *sql.DB, log *slog.Logger) *writer {
	return &writer{db: db, log: log, max: maxPending}
}

func (w *writer) add(r probe.Result, tr *Transition) { w.addResult(r, false, tr, nil) }

// addResult queues a result (maint: taken in a maintenance window, left
// out of the rollups) and the transitions it caused, in order; nil ones are
// skipped.
func (w *writer) addResult(r probe.Result, maint bool, tr, tr2 *Transition) {
	w.mu.Lock()
	if len(w.results) >= w.max {
		w.dropOldest()
	}
	w.results = append(w.results, r)
	w.maint = append(w.maint, maint)
	for _, t := range [2]*Transition{tr, tr2} {
		if t != nil {
			w.trans = append(w.trans, *t)
		}
	}
	w.mu.Unlock()
}

// addTransition queues a transition no result caused (a maintenance edge).
func (w *writer) addTransition(tr Transition) {
	w.mu.Lock()
	w.trans = append(w.trans, tr)
	w.mu.Unlock()
}

// dropOldest makes room for a tenth of the bound at once, so the copy is
// amortised. The caller holds w.mu. Transitions are never dropped.
func (w *writer) dropOldest() {
	n := w.max / 10
	w.results = w.results[:copy(w.results, w.results[n:])]
	w.maint = w.maint[:copy(w.maint, w.maint[n:])]
	total := w.dropped.Add(uint64(n))
	w.log.Warn("store: the database is falling behind; dropped the oldest unwritten results",
		"dropped", n, "dropped_total", total)
}

// run flushes every `every` until done is closed.
func (w *writer) run(clock clockwork.Clock, every time.Duration, done <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	t := clock.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.Chan():
			_ = w.flush() // logged inside
		case <-done:
			return
		}
	}
}

// flush commits the pending batch. On failure the rows go back to the
// front of the batch to be retried, still within the bound.
func (w *writer) flush() error {
	w.flushMu.Lock()
	defer w.flushMu.Unlock()
	w.mu.Lock()
	if len(w.results) == 0 && len(w.trans) == 0 {
		w.mu.Unlock()
		return nil // swapping now would alias the pending and spare buffers
	}
	results, maint, trans := w.results, w.maint, w.trans
	w.results, w.maint, w.trans = w.spareR[:0], w.spareM[:0], w.spareT[:0]
	w.mu.Unlock()
	err := w.commit(results, maint, trans)
	if err != nil {
		w.log.Error("store: could not write results to the database; will retry", "rows", len(results), "err", err)
		w.mu.Lock()
		w.results = append(results, w.results...)
		w.maint = append(maint, w.maint...)
		w.trans = append(trans, w.trans...)
		for len(w.results) > w.max {
			w.dropOldest()
		}
		w.mu.Unlock()
		w.spareR, w.spareM, w.spareT = nil, nil, nil
		return err
	}
	w.written.Add(uint64(len(results)))
	clear(results) // drop string references held by the spare buffer
	clear(trans)
	w.spareR, w.spareM, w.spareT = results[:0], maint[:0], trans[:0]
	return nil
}

// commit writes a batch, its transitions and the rollup rows they touch
// in one transaction: the rollups never disagree with the results.
func (w *writer) commit(results []probe.Result, maint []bool, trans []Transition) error {
	ctx := context.Background()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin a write: %w", err)
	}
	defer tx.Rollback()
	w.roll.reset()
	if err := w.insertResults(ctx, tx, results, maint); err != nil {
		return err
	}
	for _, t := range trans {
		if t.From == Down {
			if since, ok, err := downSince(ctx, tx, t.ServiceID); err != nil {
				return err
			} else if ok {
				w.roll.addDowntime(t.ServiceID, since, t.At.UnixMilli())
			}
		}
		if _, err := tx.ExecContext(ctx, insertTransition, t.ServiceID, t.From.String(), t.To.String(),
			t.At.UnixMilli(), t.Cause, t.Node); err != nil {
			return fmt.Errorf("insert a transition of %q: %w", t.ServiceID, err)
		}
	}
	if err := w.roll.write(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit a batch of %d results: %w", len(results), err)
	}
	return nil
}

func (w *writer) insertResults(ctx context.Context, tx *sql.Tx, results []probe.Result, maint []bool) error {
	if len(results) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, insertResult)
	if err != nil {
		return fmt.Errorf("prepare the results insert: %w", err)
	}
	defer stmt.Close()
	for i := range results {
		r := &results[i]
		start, dur := r.Start.UnixMilli(), r.Duration.Microseconds()
		_, err = stmt.ExecContext(ctx, r.ServiceID, r.Node, start, dur,
			r.OK, r.Code, r.Err, r.Phases.DNS.Microseconds(), r.Phases.Connect.Microseconds(),
			r.Phases.TLS.Microseconds(), r.Phases.FirstByte.Microseconds(), r.Phases.Transfer.Microseconds(),
			unixMilliOrZero(r.CertExpiry), unixMilliOrZero(r.Scheduled), maint[i],
			r.CertIssuer, r.ChainValid, r.Loss, r.Warning)
		if err != nil {
			return fmt.Errorf("insert a result of %q: %w", r.ServiceID, err)
		}
		if !maint[i] { // maintenance checks count in no rollup (docs/UPTIME.md)
			w.roll.addResult(r.ServiceID, start, dur, r.OK)
		}
	}
	return nil
}

func unixMilliOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
