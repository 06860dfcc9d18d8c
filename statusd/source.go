package statusd

import (
	"context"
	"time"

	"github.com/uptop-dev/uptop/probe"
	"github.com/uptop-dev/uptop/store"
)

// Source is what statusd reads: the live snapshot and its change signal, and
// the history behind the page. *store.Store implements it once it has the
// History and Daily rollup queries.
type Source interface {
	// Snapshot is the current world; never nil.
	Snapshot() *store.Snapshot
	// Subscribe returns a 1-slot, coalesced "changed" channel and its cancel.
	Subscribe() (<-chan struct{}, func())
	// Results are one service's checks in [from, to], newest first.
	Results(ctx context.Context, id string, from, to time.Time, limit int) ([]probe.Result, error)
	// Incidents are newest first; id "" means every service.
	Incidents(ctx context.Context, id string, since time.Time, limit int) ([]store.Incident, error)
	// Uptime is the share of successful checks over the last window.
	Uptime(ctx context.Context, id string, window time.Duration) (store.Uptime, error)
	// History buckets [from, to) by step, oldest first, one bucket per step
	// (empty buckets have Count 0).
	History(ctx context.Context, id string, from, to time.Time, step time.Duration) ([]store.Bucket, error)
	// Daily is one Day per UTC day, oldest first, ending today: days entries.
	Daily(ctx context.Context, id string, days int) ([]store.Day, error)
}
