// Package tui is the bubbletea program people live in: a live table of
// services with sparklines, a detail view with a latency chart, a filter, a
// sort and help. It runs over a Source (the local store, an SSH session's
// view of it, or a remote daemon), so the same Model serves every surface.
//
// It must not import probe's checkers or scheduler, config, alert, statusd or
// any database driver: it only reads store snapshots and the Source's queries.
//
// Concurrency: a Model is owned by one bubbletea program. Update does no I/O
// (queries, re-checks and waiting for changes run in tea.Cmds) and View is
// pure apart from a render cache that only the program's goroutine touches.
package tui
