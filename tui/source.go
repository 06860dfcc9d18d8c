package tui

import (
	"context"
	"errors"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// Source is everything the TUI reads and the one thing it asks for. The
// local store (through a small adapter adding Recheck), an SSH session and a
// remote daemon's HTTP API all implement it.
type Source interface {
	// Snapshot is the current state; it must never return nil.
	Snapshot() *store.Snapshot
	// Subscribe returns a 1-slot, coalesced "changed" channel.
	Subscribe() (changed <-chan struct{}, cancel func())
	// Results are one service's checks in [from, to], newest first.
	Results(ctx context.Context, id string, from, to time.Time, limit int) ([]probe.Result, error)
	// Incidents are one service's incidents since a time, newest first.
	Incidents(ctx context.Context, id string, since time.Time, limit int) ([]store.Incident, error)
	// Uptime is the share of successful checks over the window ending now.
	Uptime(ctx context.Context, id string, window time.Duration) (store.Uptime, error)
	// Recheck asks for an immediate check; read-only sources return ErrReadOnly.
	Recheck(id string) error
}

// ErrReadOnly is what read-only sources (SSH, remote) return from Recheck.
var ErrReadOnly = errors.New("read-only: re-checks are not allowed here")
