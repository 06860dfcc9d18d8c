package store

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/uptop-dev/uptop/probe"
)

// BenchmarkRollupMaintenance is what keeping the rollups costs the writer
// per result: a batch of 500 results of 500 different services (10,000
// services at a 10s interval, FlushEvery 500ms) aggregated and upserted
// into their hourly and daily rows (1,000 upserts) in one transaction, on
// a real file that already holds those rows.
func BenchmarkRollupMaintenance(b *testing.B) {
	db, err := openDB(dbPath(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	w := newWriter(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	const batch = 500
	start := time.Now().UnixMilli()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += batch {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		w.roll.reset()
		for j := range min(batch, b.N-i) {
			w.roll.addResult(fmt.Sprintf("service-%05d", (i+j)%10_000), start+int64(i+j), int64(1000+j), j%50 != 0)
		}
		if err := w.roll.write(ctx, tx); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// historyStore holds 100 services with 90 days of rollups (a check every
// 10s) and, for "api", the last 24 hours of raw results.
func historyStore(b *testing.B) *Store {
	b.Helper()
	specs := benchSpecs(100)
	specs = append(specs, testSpec("api"))
	s, err := Open(specs, Options{Path: dbPath(b), Clock: clockwork.NewFakeClockAt(t0)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ctx := context.Background()
	first := t0.Add(-90 * 24 * time.Hour).UnixMilli()
	for _, sp := range specs {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		var rb rollupBatch
		for at := first; at < t0.UnixMilli(); at += 10_000 {
			rb.addResult(sp.ID, at, 1000+at%200_000, at%7_000_000 != 0)
		}
		if err := rb.write(ctx, tx); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	for at := t0.Add(-24 * time.Hour); at.Before(t0); at = at.Add(10 * time.Second) {
		s.w.add(probe.Result{ServiceID: "api", Start: at, Duration: time.Duration(at.UnixMilli()%200) * time.Millisecond, OK: true}, nil)
	}
	if err := s.w.flush(); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkDaily90 is the 90-day bars of one service (issue 3: < 5 ms).
func BenchmarkDaily90(b *testing.B) {
	s := historyStore(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		days, err := s.Daily(ctx, "service-00042", 90)
		if err != nil || len(days) != 90 || !days[0].HasData {
			b.Fatalf("Daily = %d days, %v", len(days), err)
		}
	}
}

func BenchmarkHistory(b *testing.B) {
	s := historyStore(b)
	ctx := context.Background()
	for _, bc := range []struct {
		name     string
		id       string
		from     time.Time
		step     time.Duration
		nBuckets int
	}{
		{"24h-by-5m-raw", "api", t0.Add(-24 * time.Hour), 5 * time.Minute, 288},
		{"7d-by-1h-rollups", "service-00042", t0.Add(-7 * 24 * time.Hour), time.Hour, 168},
		{"90d-by-1d-rollups", "service-00042", t0.Add(-90 * 24 * time.Hour), 24 * time.Hour, 90},
		{"90d-by-6h-rollups", "service-00042", t0.Add(-90 * 24 * time.Hour), 6 * time.Hour, 360},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				bs, err := s.History(ctx, bc.id, bc.from, t0, bc.step)
				if err != nil || len(bs) != bc.nBuckets || bs[len(bs)-1].Count == 0 {
					b.Fatalf("History = %d buckets, %v", len(bs), err)
				}
			}
		})
	}
}

// BenchmarkUptime90d is one service's 90-day uptime from the rollups.
func BenchmarkUptime90d(b *testing.B) {
	s := historyStore(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if u, err := s.Uptime(ctx, "service-00042", 90*24*time.Hour); err != nil || u.Checks == 0 {
			b.Fatalf("Uptime = %+v, %v", u, err)
		}
	}
}
