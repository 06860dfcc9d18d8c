package main

import (
	"testing"

	"github.com/uptop-dev/uptop/config"
)

// The soft limit must grow with everything that holds memory per client,
// or a busy daemon would sit above it and collect garbage constantly.
func TestMemoryBudgetCountsWhatTheConfigEnables(t *testing.T) {
	t.Parallel()
	services := make([]config.Service, 10000)
	probeOnly := &config.File{Services: services}
	if got, want := memoryBudget(probeOnly), int64(48<<20+10000*8<<10); got != want {
		t.Errorf("10,000 services: %d, want %d (the figure docs/PERFORMANCE.md measured with)", got, want)
	}
	withSSH := &config.File{Services: services, SSH: &config.SSH{MaxSessions: 100}}
	if d := memoryBudget(withSSH) - memoryBudget(probeOnly); d < 100*2<<20 {
		t.Errorf("100 SSH sessions add %d bytes: less than their ~1.5 MiB live each at 2x", d)
	}
	withHTTP := &config.File{Services: services, HTTP: &config.HTTP{}}
	if memoryBudget(withHTTP) <= memoryBudget(probeOnly) {
		t.Errorf("[http] adds nothing to the budget")
	}
}
