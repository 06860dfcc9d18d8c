package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// What each service's notifiers were last told, kept next to the outbox so
// that a restart knows it rather than guessing it from the restored status:
// a service that went down just before a crash, with its alert not yet in
// the outbox, is still announced afterwards. Created on first use, like the
// outbox, so it takes no schema version.
const alertStateSchema = `CREATE TABLE IF NOT EXISTS alert_state (
		service_id    TEXT PRIMARY KEY,
		announced     TEXT NOT NULL,
		down_since_ms INTEGER NOT NULL DEFAULT 0,
		updated_ms    INTEGER NOT NULL DEFAULT 0
	);`

// AlertState is the status a service's notifiers were last told about and,
// for down or degraded, when that outage began (zero otherwise).
type AlertState struct {
	ServiceID string
	Announced Status
	DownSince time.Time
	Updated   time.Time
}

func (s *Store) ensureAlertState(ctx context.Context) error {
	if err := s.ensureOutbox(ctx); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, alertStateSchema); err != nil {
		return fmt.Errorf("create the alert state table: %w", err)
	}
	return nil
}

// OutboxAddAnnounced stores new pending notifications and the announced
// states they carry in ONE transaction: either the notifiers will be told
// and the store knows it, or neither, so a crash between the two can
// neither lose an alert nor send it twice. Items already stored are
// ignored, as in OutboxAdd; states replace the service's previous row.
func (s *Store) OutboxAddAnnounced(ctx context.Context, states []AlertState, items ...OutboxItem) error {
	if err := s.ensureAlertState(ctx); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add to the alert outbox: %w", err)
	}
	defer tx.Rollback()
	if err := upsertAlertStates(ctx, tx, states); err != nil {
		return err
	}
	if err := insertOutboxItems(ctx, tx, items); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add to the alert outbox: %w", err)
	}
	return nil
}

// insertOutboxItems adds items to the outbox inside the caller's
// transaction (OutboxAdd, OutboxAddAnnounced); one already there is kept.
func insertOutboxItems(ctx context.Context, tx *sql.Tx, items []OutboxItem) error {
	if len(items) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO outbox
		(id, notifier, kind, service, payload, created_ms, next_ms, give_up_ms, updated_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("add to the alert outbox: %w", err)
	}
	defer stmt.Close()
	for _, it := range items {
		if _, err := stmt.ExecContext(ctx, it.ID, it.Notifier, it.Kind, it.Service, it.Payload,
			it.Created.UnixMilli(), it.NextAt.UnixMilli(), it.GiveUpAt.UnixMilli(), it.Created.UnixMilli()); err != nil {
			return fmt.Errorf("add %s to the alert outbox: %w", it.ID, err)
		}
	}
	return nil
}

func upsertAlertStates(ctx context.Context, tx *sql.Tx, states []AlertState) error {
	if len(states) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO alert_state (service_id, announced, down_since_ms, updated_ms)
		VALUES (?, ?, ?, ?) ON CONFLICT (service_id) DO UPDATE SET
		announced = excluded.announced, down_since_ms = excluded.down_since_ms, updated_ms = excluded.updated_ms`)
	if err != nil {
		return fmt.Errorf("record the announced alert states: %w", err)
	}
	defer stmt.Close()
	for _, st := range states {
		if _, err := stmt.ExecContext(ctx, st.ServiceID, st.Announced.String(), milliOrZero(st.DownSince), milliOrZero(st.Updated)); err != nil {
			return fmt.Errorf("record the announced alert state of %s: %w", st.ServiceID, err)
		}
	}
	return nil
}

// AlertStates returns every recorded announced state by service id; a
// service with no row has never been seen by the alerter.
func (s *Store) AlertStates(ctx context.Context) (map[string]AlertState, error) {
	if err := s.ensureAlertState(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT service_id, announced, down_since_ms, updated_ms FROM alert_state`)
	if err != nil {
		return nil, fmt.Errorf("read the announced alert states: %w", err)
	}
	defer rows.Close()
	out := map[string]AlertState{}
	for rows.Next() {
		var st AlertState
		var word string
		var down, updated int64
		if err := rows.Scan(&st.ServiceID, &word, &down, &updated); err != nil {
			return nil, fmt.Errorf("read the announced alert states: %w", err)
		}
		st.Announced, _ = ParseStatus(word) // an unknown word reads as Unknown: re-announce rather than stay silent
		st.DownSince, st.Updated = timeOrZero(down), timeOrZero(updated)
		out[st.ServiceID] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the announced alert states: %w", err)
	}
	return out, nil
}

// milliOrZero stores the zero time as 0 rather than year 1 in milliseconds.
func milliOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
