// Command accuracy measures how close uptop's reported latency is to the
// latency that happened: HTTP checks against a loopback server that holds
// each answer for a known delay (10, 50, 200 ms by default), run by the real
// probe.Scheduler while it also runs 1,000 checks/s of background HTTP
// checks. Server and checks share this one process (and its 2 cores, on
// the reference machine), which makes the numbers a worst case.
//
//	go run ./bench/accuracy -duration 30s
//
// It reports, per delay, the median and p99 of |measured − injected| and of
// |measured − held| (held: what the server measured itself, so timer
// overshoot on the server side is not blamed on the checker).
//
// It imports probe only. Concurrency: the scheduler's workers call the
// sink, which records under one mutex; the server's handlers record the
// hold time per target under another.
package main
