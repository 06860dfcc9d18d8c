// Package store owns what was measured: it ingests probe Results, runs each
// service's status state machine, keeps a ring of recent samples and the
// last failure per service, publishes immutable versioned Snapshots, and
// persists results and transitions to SQLite in batches, with hourly and
// daily rollups maintained in the same transactions (History, Daily and
// long Uptime windows read them) and a retention job that trims old rows.
// Maintenance windows (Options.InMaintenance) overlay the status with
// Maintenance and keep their checks out of uptime (maintenance.go).
//
// It must not import tui, statusd, alert or config, and it renders nothing.
//
// Concurrency: Ingest is safe from many goroutines and never waits on a
// reader or on disk (persistence runs on its own goroutine, at most ~1 s
// behind; retention on another, in small batches). Snapshot() is lock-free
// (an atomic pointer); a Snapshot and everything it points to is immutable.
// Subscribers get a 1-slot, coalesced "changed" channel and are never
// waited on. Queries are safe from any goroutine.
package store
