package main

import "runtime/debug"

// Go's collector lets the heap grow to twice what is live before it runs;
// with 10,000 services (~70 MB live) that would take RSS past the 150 MB
// budget in docs/PERFORMANCE.md. A soft limit sized to the fleet keeps the
// default pacing for small configs and collects earlier for big ones. The
// runtime caps the collector's CPU share when the limit is tight, so a fleet
// larger than the estimate slows down rather than dying.
const (
	baseBudget       = 48 << 20 // the runtime, buffers, SQLite's cache
	perServiceBudget = 8 << 10  // rings, snapshot state, checker, at 2x live
)

// setMemoryBudget applies the soft limit unless the user set GOMEMLIMIT.
func setMemoryBudget(services int, getenv func(string) (string, bool)) {
	if _, set := getenv("GOMEMLIMIT"); set {
		return
	}
	debug.SetMemoryLimit(memoryBudget(services))
}

func memoryBudget(services int) int64 {
	return baseBudget + int64(services)*perServiceBudget
}
