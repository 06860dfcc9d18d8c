// Package sshd serves the live uptop TUI over SSH: every session whose public
// key is in authorized_keys gets its own read-only tui program, sized from its
// PTY and coloured for its terminal; `check`, `check --json` and `help` answer
// without a terminal.
//
// It must not import probe's checkers, the database or config: it reads
// snapshots through a Source and nothing over SSH can change state.
//
// Concurrency: one goroutine per connection and per session (charm.land/ssh).
// Sessions only pull snapshots, so none can slow the probe loop or another
// session; a session whose client stops reading is cut after WriteTimeout.
package sshd
