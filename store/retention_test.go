package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

func countRows(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestBackfillOnUpgrade: a file written at schema version 1 (before
// rollups) gets its rollups, downtime included, on the first Open.
func TestBackfillOnUpgrade(t *testing.T) {
	t.Parallel()
	path := dbPath(t)
	db, err := openDBAt(path, 1)
	if err != nil {
		t.Fatal(err)
	}
	today := t0.Truncate(24 * time.Hour)
	for i := range 72 { // yesterday and today until 12:00, every half hour; failing 22:00–02:00
		at := today.Add(-24*time.Hour + time.Duration(i)*30*time.Minute)
		ok := at.Before(today.Add(-2*time.Hour)) || !at.Before(today.Add(2*time.Hour))
		if _, err := db.Exec(`INSERT INTO results (service_id, start_ms, duration_us, ok) VALUES ('api', ?, ?, ?)`,
			at.UnixMilli(), 1000*(i+1), ok); err != nil {
			t.Fatal(err)
		}
	}
	for _, tr := range []struct {
		from, to string
		at       time.Time
	}{{"unknown", "up", today.Add(-24 * time.Hour)}, {"up", "down", today.Add(-2 * time.Hour)}, {"down", "up", today.Add(2 * time.Hour)}} {
		if _, err := db.Exec(`INSERT INTO transitions (service_id, "from", "to", at_ms) VALUES ('api', ?, ?, ?)`,
			tr.from, tr.to, tr.at.UnixMilli()); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s := openTest(t, path, nil, testSpec("api"))
	if n := countRows(t, s.db, `SELECT count(*) FROM rollups WHERE period_ms = ?`, hourMs); n != 24+12 {
		t.Errorf("%d hourly rollups after the upgrade, want 36", n)
	}
	days, err := s.Daily(context.Background(), "api", 2)
	if err != nil {
		t.Fatal(err)
	}
	if d := days[0]; d.Checks != 48 || d.Failures != 4 || d.DowntimeMinutes != 120 {
		t.Errorf("yesterday = %+v, want 48 checks, 4 failures, 120 minutes down", d)
	}
	if d := days[1]; d.Checks != 24 || d.Failures != 4 || d.DowntimeMinutes != 120 {
		t.Errorf("today = %+v, want 24 checks, 4 failures, 120 minutes down", d)
	}
	var v int
	if err := s.db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != SchemaVersion() {
		t.Errorf("schema version %d (%v), want %d", v, err, SchemaVersion())
	}
}

// openDBAt creates a file at an old schema version.
func openDBAt(path string, version int) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	return db, migrateTo(context.Background(), db, version)
}

func TestRetentionDeletesOnlyWhatIsOld(t *testing.T) {
	t.Parallel()
	clock := clockwork.NewFakeClockAt(t0)
	s, err := Open([]Spec{testSpec("api")}, Options{Path: dbPath(t), Clock: clock, RetainRaw: 2 * 24 * time.Hour, RetainRollups: 10 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for i := range 2400 { // every 6 minutes over the last 10 days; a failure run each day
		at := t0.Add(-10*24*time.Hour + time.Duration(i)*6*time.Minute)
		if i%240 == 100 || i%240 == 101 {
			s.Ingest(failAt("api", at, "refused"))
			continue
		}
		s.Ingest(okAt("api", at, 5*time.Millisecond))
	}
	mustSync(t, s)
	ctx := context.Background()
	if _, err := s.prune(ctx); err != nil {
		t.Fatal(err)
	}
	rawCut := t0.Add(-2 * 24 * time.Hour).UnixMilli()
	if n := countRows(t, s.db, `SELECT count(*) FROM results WHERE start_ms < ?`, rawCut); n != 0 {
		t.Errorf("%d results older than raw retention left", n)
	}
	if n := countRows(t, s.db, `SELECT count(*) FROM results`); n != 480 {
		t.Errorf("%d results kept, want the 480 of the last 2 days", n)
	}
	if n := countRows(t, s.db, `SELECT count(*) FROM rollups WHERE period_ms = ?`, hourMs); n != 240 {
		t.Errorf("%d hourly rollups, want all 240 (within rollup retention)", n)
	}
	trs := countRows(t, s.db, `SELECT count(*) FROM transitions`)

	clock.Advance(5 * 24 * time.Hour) // now the first 5 days are past rollup retention
	if _, err := s.prune(ctx); err != nil {
		t.Fatal(err)
	}
	rollCut := clock.Now().Add(-10 * 24 * time.Hour).UnixMilli()
	for _, q := range []string{`SELECT count(*) FROM rollups WHERE start_ms < ?`, `SELECT count(*) FROM transitions WHERE at_ms < ?`} {
		if n := countRows(t, s.db, q, rollCut); n != 0 {
			t.Errorf("%s: %d rows past rollup retention", q, n)
		}
	}
	if n := countRows(t, s.db, `SELECT count(*) FROM rollups WHERE period_ms = ?`, hourMs); n != 120 {
		t.Errorf("%d hourly rollups, want the 120 of the last 5 days", n)
	}
	if n := countRows(t, s.db, `SELECT count(*) FROM transitions`); n == 0 || n >= trs {
		t.Errorf("%d transitions left of %d, want some deleted and the recent ones kept", n, trs)
	}
	if n := countRows(t, s.db, `SELECT count(*) FROM results`); n != 0 {
		t.Errorf("%d results left 7 days after the last one, want 0", n)
	}

	clock.Advance(30 * 24 * time.Hour) // everything is old: the newest transition stays
	if _, err := s.prune(ctx); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s.db, `SELECT count(*) FROM transitions`); n != 1 {
		t.Errorf("%d transitions left, want only the newest (the restored status)", n)
	}
}

func TestUptimeLongWindowsFromRollups(t *testing.T) {
	t.Parallel()
	s := openTest(t, dbPath(t), nil, testSpec("api"))
	// One check an hour for 100 days; the day k days ago has k%7 failures.
	want := map[int][2]int{} // window days → checks, fails
	for h := 100 * 24; h >= 1; h-- {
		at := t0.Add(-time.Duration(h) * time.Hour)
		daysAgo := (h - 1) / 24
		fail := h%24 < daysAgo%7
		for _, w := range []int{30, 90} {
			if daysAgo < w {
				c := want[w]
				c[0]++
				if fail {
					c[1]++
				}
				want[w] = c
			}
		}
		if fail {
			s.Ingest(failAt("api", at, "refused"))
		} else {
			s.Ingest(okAt("api", at, time.Millisecond))
		}
	}
	// Raw rows past raw retention would make a raw count differ: drop them
	// so the figure can only come from the rollups.
	mustSync(t, s)
	if _, err := s.db.Exec(`DELETE FROM results`); err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{30, 90} {
		u, err := s.Uptime(context.Background(), "api", time.Duration(w)*24*time.Hour)
		if err != nil || u.Checks != want[w][0] || u.Fails != want[w][1] {
			t.Errorf("Uptime %dd = %+v, %v; want %d checks, %d fails", w, u, err, want[w][0], want[w][1])
		}
	}
}
