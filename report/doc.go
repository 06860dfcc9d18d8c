// Package report renders the plain status report of `uptop check` (and of
// `ssh host check`): an aligned text table for people, a JSON array for
// scripts, and the exit code both share.
//
// It must not import tui, statusd, alert or config: it formats rows that
// callers build from a store.Snapshot or from one-shot probe Results.
//
// Concurrency: pure functions over values; safe for concurrent use.
package report
