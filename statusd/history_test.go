package statusd

import (
	"context"
	"testing"

	"github.com/jonboulle/clockwork"
	"github.com/uptop-dev/uptop/store"
)

// TestHistoryRefresh: a status flip reloads only the flipped service's
// rollups (at once), everything is reloaded after historyTTL, and nothing
// is reloaded while statuses stand still.
func TestHistoryRefresh(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := clockwork.NewFakeClockAt(t0)
	f := world()
	c := newHistoryCache(f, clock)
	h1 := c.get(ctx, f.Snapshot())
	if n := len(h1.svc["web"].days); n != 30 {
		t.Fatalf("web has %d days, want 30", n)
	}
	// New rollups for both services; only web flips.
	f.days["web"], f.days["api"] = fixtureDays(40, -1), fixtureDays(50, -1)
	if h := c.get(ctx, f.Snapshot()); h != h1 {
		t.Fatalf("statuses unchanged: history reloaded (gen %d → %d)", h1.gen, h.gen)
	}
	f.set(flipped(f.Snapshot(), "web", store.Down))
	h2 := c.get(ctx, f.Snapshot())
	if h2.gen != h1.gen+1 || len(h2.svc["web"].days) != 40 {
		t.Errorf("after web flipped: gen %d, web has %d days; want gen %d and 40 days", h2.gen, len(h2.svc["web"].days), h1.gen+1)
	}
	if h2.svc["api"] != h1.svc["api"] {
		t.Errorf("after web flipped: api reloaded too, want only the flipped service")
	}
	clock.Advance(historyTTL)
	h3 := c.get(ctx, f.Snapshot())
	if len(h3.svc["api"].days) != 50 || h3.gen != h2.gen+1 {
		t.Errorf("after %s: api has %d days (gen %d), want a full reload with 50", historyTTL, len(h3.svc["api"].days), h3.gen)
	}
}
