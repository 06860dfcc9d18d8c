package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// The alert outbox: every notification is written here before it is sent,
// so a crash or a receiver outage never loses one. Rows are keyed by a
// stable id (a replayed notification is ignored, never doubled) and sent
// in seq order per notifier. The table is created on first use with
// CREATE TABLE IF NOT EXISTS rather than as a numbered migration, so it
// does not take a schema version other steps may need.
const outboxSchema = `CREATE TABLE IF NOT EXISTS outbox (
		seq        INTEGER PRIMARY KEY AUTOINCREMENT,
		id         TEXT NOT NULL UNIQUE,
		notifier   TEXT NOT NULL,
		kind       TEXT NOT NULL DEFAULT '',
		service    TEXT NOT NULL DEFAULT '',
		payload    BLOB NOT NULL,
		created_ms INTEGER NOT NULL,
		next_ms    INTEGER NOT NULL,
		give_up_ms INTEGER NOT NULL,
		attempts   INTEGER NOT NULL DEFAULT 0,
		state      TEXT NOT NULL DEFAULT 'pending',
		code       INTEGER NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT '',
		updated_ms INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (notifier, seq) WHERE state = 'pending';
	CREATE INDEX IF NOT EXISTS outbox_updated ON outbox (updated_ms);`

// OutboxState is where a notification is in its delivery.
type OutboxState string

const (
	OutboxPending   OutboxState = "pending"   // not yet delivered; retried when due
	OutboxDelivered OutboxState = "delivered" // the receiver answered 2xx
	OutboxFailed    OutboxState = "failed"    // gave up: permanent error or give_up_after passed
)

// OutboxItem is one notification for one notifier. Payload is opaque to
// the store; Kind and Service are for listing deliveries. LastError must
// already be free of secrets.
type OutboxItem struct {
	Seq       int64
	ID        string
	Notifier  string
	Kind      string
	Service   string
	Payload   []byte
	Created   time.Time
	NextAt    time.Time // when the next attempt is due
	GiveUpAt  time.Time
	Attempts  int
	State     OutboxState
	Code      int
	LastError string
	Updated   time.Time
}

// OutboxUpdate records the outcome of one attempt.
type OutboxUpdate struct {
	State    OutboxState
	Attempts int
	NextAt   time.Time
	Code     int
	Error    string
	At       time.Time
}

// ensureOutbox creates the table if it is missing. It is cheap when the
// table exists (a schema lookup), so every outbox call runs it rather than
// the Store carrying another field.
func (s *Store) ensureOutbox(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, outboxSchema); err != nil {
		return fmt.Errorf("create the alert outbox table: %w", err)
	}
	return nil
}

// OutboxAdd stores new pending notifications in one transaction. An item
// whose id is already stored is ignored, so replaying is harmless.
func (s *Store) OutboxAdd(ctx context.Context, items ...OutboxItem) error {
	if err := s.ensureOutbox(ctx); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add to the alert outbox: %w", err)
	}
	defer tx.Rollback()
	if err := insertOutboxItems(ctx, tx, items); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add to the alert outbox: %w", err)
	}
	return nil
}

const outboxCols = `seq, id, notifier, kind, service, payload, created_ms, next_ms, give_up_ms, attempts, state, code, last_error, updated_ms`

// OutboxDue returns, for each notifier, its oldest pending notification if
// it is due at now, oldest first. Only the head of each notifier's queue is
// returned, so a receiver gets its notifications in order even when one
// of them needs retrying.
func (s *Store) OutboxDue(ctx context.Context, now time.Time, limit int) ([]OutboxItem, error) {
	if err := s.ensureOutbox(ctx); err != nil {
		return nil, err
	}
	return s.outboxQuery(ctx, `SELECT `+outboxCols+` FROM outbox
		WHERE seq IN (SELECT MIN(seq) FROM outbox WHERE state = 'pending' GROUP BY notifier)
		AND next_ms <= ? ORDER BY seq LIMIT ?`, now.UnixMilli(), limit)
}

// OutboxNext is when the earliest queue head falls due; ok is false when
// nothing is pending.
func (s *Store) OutboxNext(ctx context.Context) (next time.Time, ok bool, err error) {
	if err := s.ensureOutbox(ctx); err != nil {
		return time.Time{}, false, err
	}
	var ms sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT MIN(next_ms) FROM outbox
		WHERE seq IN (SELECT MIN(seq) FROM outbox WHERE state = 'pending' GROUP BY notifier)`).Scan(&ms)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read the alert outbox: %w", err)
	}
	if !ms.Valid {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(ms.Int64), true, nil
}

// OutboxMark records an attempt's outcome for the notification with id.
func (s *Store) OutboxMark(ctx context.Context, id string, u OutboxUpdate) error {
	if err := s.ensureOutbox(ctx); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE outbox SET state = ?, attempts = ?, next_ms = ?, code = ?, last_error = ?, updated_ms = ?
		WHERE id = ?`, string(u.State), u.Attempts, u.NextAt.UnixMilli(), u.Code, u.Error, u.At.UnixMilli(), id)
	if err != nil {
		return fmt.Errorf("update %s in the alert outbox: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update %s in the alert outbox: no such notification", id)
	}
	return nil
}

// OutboxRecent lists notifications, the most recently updated first.
func (s *Store) OutboxRecent(ctx context.Context, limit int) ([]OutboxItem, error) {
	if err := s.ensureOutbox(ctx); err != nil {
		return nil, err
	}
	return s.outboxQuery(ctx, `SELECT `+outboxCols+` FROM outbox ORDER BY updated_ms DESC, seq DESC LIMIT ?`, limit)
}

// OutboxPrune deletes delivered and failed notifications last updated
// before before; pending ones are kept whatever their age.
func (s *Store) OutboxPrune(ctx context.Context, before time.Time) (int64, error) {
	if err := s.ensureOutbox(ctx); err != nil {
		return 0, err
	}
	res, err := s.db.ExecContext(ctx, `DELETE FROM outbox WHERE state != 'pending' AND updated_ms < ?`, before.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("prune the alert outbox: %w", err)
	}
	return res.RowsAffected()
}

func (s *Store) outboxQuery(ctx context.Context, q string, args ...any) ([]OutboxItem, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read the alert outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxItem
	for rows.Next() {
		var it OutboxItem
		var created, next, giveUp, updated int64
		var state string
		if err := rows.Scan(&it.Seq, &it.ID, &it.Notifier, &it.Kind, &it.Service, &it.Payload,
			&created, &next, &giveUp, &it.Attempts, &state, &it.Code, &it.LastError, &updated); err != nil {
			return nil, fmt.Errorf("read the alert outbox: %w", err)
		}
		it.State = OutboxState(state)
		it.Created, it.NextAt, it.GiveUpAt, it.Updated = time.UnixMilli(created), time.UnixMilli(next), time.UnixMilli(giveUp), time.UnixMilli(updated)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the alert outbox: %w", err)
	}
	return out, nil
}
