package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
)

// Push tokens: the secret in a push service's URL when the config does not
// set push_token. A token is generated once per service id and kept, so the
// URL a job was given keeps working across restarts. Like the outbox, the
// table is created on first use (CREATE TABLE IF NOT EXISTS) rather than as
// a numbered migration.
const pushSchema = `CREATE TABLE IF NOT EXISTS push_tokens (
		service_id TEXT PRIMARY KEY,
		token      TEXT NOT NULL UNIQUE,
		created_ms INTEGER NOT NULL
	);`

// PushToken returns the stored push token of service id, generating and
// storing one (32 random bytes, base64url) the first time. It is a secret:
// show it only to the operator (uptop push-url), never on a page.
func (s *Store) PushToken(ctx context.Context, id string) (string, error) {
	if _, err := s.db.ExecContext(ctx, pushSchema); err != nil {
		return "", fmt.Errorf("create the push token table: %w", err)
	}
	var token string
	err := s.db.QueryRowContext(ctx, `SELECT token FROM push_tokens WHERE service_id = ?`, id).Scan(&token)
	if err == nil {
		return token, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("read the push token of %s: %w", id, err)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generate a push token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b[:])
	// Two processes may race to create it: the first one's token wins and
	// both return it.
	if _, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO push_tokens (service_id, token, created_ms) VALUES (?, ?, ?)`,
		id, token, s.clock.Now().UnixMilli()); err != nil {
		return "", fmt.Errorf("store the push token of %s: %w", id, err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT token FROM push_tokens WHERE service_id = ?`, id).Scan(&token); err != nil {
		return "", fmt.Errorf("read the push token of %s: %w", id, err)
	}
	return token, nil
}

// ResetPushToken forgets service id's generated token, so the next
// PushToken makes a new one (after a token leaked).
func (s *Store) ResetPushToken(ctx context.Context, id string) error {
	if _, err := s.db.ExecContext(ctx, pushSchema); err != nil {
		return fmt.Errorf("create the push token table: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM push_tokens WHERE service_id = ?`, id); err != nil {
		return fmt.Errorf("reset the push token of %s: %w", id, err)
	}
	return nil
}
