// Package remote is the TUI's Source over a running `uptop serve`: it
// fetches /api/v1/status once, then follows /api/v1/events (SSE) with
// reconnects and backoff, rebuilding an immutable store.Snapshot per event.
// When the stream drops it keeps serving the last snapshot.
//
// It must not import tui, probe's checkers, config or the database; it only
// speaks the JSON in statusd/wire.
//
// Concurrency: Snapshot is lock-free (atomic pointer); one goroutine follows
// the stream until Close; subscribers get a 1-slot, coalesced signal and are
// never waited on.
package remote
