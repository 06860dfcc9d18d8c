// Package probe turns a Target into a Result: one Checker per kind (http.go,
// tcp.go, …) behind a registry, and the Scheduler that runs every service on
// its own ideal-grid schedule with a bounded worker pool and a hard deadline
// per check.
//
// It must not import store, alert, statusd, tui or config, and it stores
// nothing: results leave through the Sink the caller passes in.
//
// Concurrency: Checkers are safe for concurrent use and never outlive the
// context they are given. The Scheduler owns one goroutine for its loop plus
// its workers; Sink.Ingest is called from worker goroutines and must not block
// for long.
package probe
