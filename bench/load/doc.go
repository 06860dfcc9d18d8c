// Command load is uptop's load harness: it runs the real probe.Scheduler
// with the real HTTP checker and the real store (SQLite persistence
// included) over N services served by a loopback fleet in a child process,
// and reports probes/s, missed checks, schedule lag, CPU per 1,000 checks
// and peak RSS of the parent alone.
//
//	go run ./bench/load -services 10000 -interval 10s -duration 60s
//
// It imports probe and store and nothing to their right. Concurrency: the
// scheduler's workers call the measuring sink, which records with atomics.
package main
