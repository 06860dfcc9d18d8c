package main

import (
	"runtime/debug"

	"github.com/uptop-dev/uptop/config"
)

// Go's collector lets the heap grow to twice what is live before it runs;
// with 10,000 services (~70 MB live) that would take RSS past the 150 MB
// budget in docs/PERFORMANCE.md. A soft limit sized to what the config
// asks for keeps the default pacing for small configs and collects earlier
// for big ones. It must not be too tight either: live memory above the limit
// makes the collector run constantly (the runtime caps it at half the CPU),
// so everything that holds memory per client is counted at its peak.
const (
	baseBudget       = 48 << 20 // the runtime, buffers, SQLite's cache
	perServiceBudget = 8 << 10  // rings, snapshot state, checker, at 2x live
	perSessionBudget = 4 << 20  // one SSH TUI: ~1.5 MiB live (bubbletea's cell buffers), at 2x plus slack
	httpBudget       = 64 << 20 // the page and API caches, and ~1,000 SSE clients at ~60 KiB
)

// setMemoryBudget applies the soft limit unless the user set GOMEMLIMIT.
func setMemoryBudget(cfg *config.File, getenv func(string) (string, bool)) {
	if _, set := getenv("GOMEMLIMIT"); set {
		return
	}
	debug.SetMemoryLimit(memoryBudget(cfg))
}

func memoryBudget(cfg *config.File) int64 {
	b := int64(baseBudget) + int64(len(cfg.Services))*perServiceBudget
	if cfg.SSH != nil {
		b += int64(cfg.SSH.MaxSessions) * perSessionBudget
	}
	if cfg.HTTP != nil {
		b += httpBudget
	}
	return b
}
