package store

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

func TestQueries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t, dbPath(t), nil, testSpec("api"), testSpec("web"))
	at := func(m int) time.Time { return t0.Add(time.Duration(m-60) * time.Minute) }
	full := probe.Result{ServiceID: "api", Node: "eu-1", Start: at(1), Duration: 1500 * time.Microsecond, OK: true, Code: 204,
		Phases:    probe.Phases{DNS: time.Millisecond, Connect: 2 * time.Millisecond, TLS: 3 * time.Millisecond, FirstByte: 4 * time.Millisecond, Transfer: 5 * time.Millisecond},
		Scheduled: at(1).Add(-time.Millisecond), CertExpiry: t0.Add(90 * 24 * time.Hour)}
	s.Ingest(full)
	s.Ingest(failAt("api", at(2), "refused"))
	s.Ingest(failAt("api", at(3), "refused")) // down
	s.Ingest(okAt("api", at(4), time.Millisecond))
	s.Ingest(okAt("web", at(5), 2*time.Second)) // degraded, still open
	s.Ingest(okAt("api", at(6), time.Millisecond))
	// No Sync: queries must see the unflushed batch.

	t.Run("results newest first with bounds", func(t *testing.T) {
		t.Parallel()
		rs, err := s.Results(ctx, "api", at(2), at(6), 0)
		if err != nil || len(rs) != 3 || !rs[0].Start.Equal(at(4)) || !rs[2].Start.Equal(at(2)) || rs[2].Err != "refused" {
			t.Fatalf("Results = %+v, %v; want the 3 checks in [2m, 6m) newest first", rs, err)
		}
		all, err := s.Results(ctx, "api", time.Time{}, time.Time{}, 0)
		if err != nil || len(all) != 5 {
			t.Fatalf("unbounded Results: %d, %v; want 5", len(all), err)
		}
		got := all[len(all)-1]
		if got.Node != "eu-1" || got.Code != 204 || got.Duration != full.Duration || got.Phases != full.Phases ||
			!got.Scheduled.Equal(full.Scheduled) || !got.CertExpiry.Equal(full.CertExpiry) || !got.OK {
			t.Errorf("round trip = %+v, want %+v", got, full)
		}
		if one, _ := s.Results(ctx, "api", time.Time{}, time.Time{}, 1); len(one) != 1 || !one[0].Start.Equal(at(6)) {
			t.Errorf("limit 1 = %+v, want the newest", one)
		}
	})
	t.Run("transitions", func(t *testing.T) {
		t.Parallel()
		all, err := s.Transitions(ctx, "", time.Time{}, 0)
		if err != nil || len(all) != 4 {
			t.Fatalf("Transitions = %+v, %v; want 4", all, err)
		}
		if all[0].ServiceID != "web" || all[0].To != Degraded || all[0].Cause != "slow: 2s > 1s" {
			t.Errorf("newest = %+v, want web degraded", all[0])
		}
		api, _ := s.Transitions(ctx, "api", at(3), 0)
		if len(api) != 2 || api[1].To != Down || api[1].Cause != "refused" || api[0].To != Up || api[1].Node != "n1" {
			t.Errorf("api since 3m = %+v, want down (refused) then up", api)
		}
	})
	t.Run("incidents", func(t *testing.T) {
		t.Parallel()
		incs, err := s.Incidents(ctx, "", time.Time{}, 0)
		if err != nil || len(incs) != 2 {
			t.Fatalf("Incidents = %+v, %v; want 2", incs, err)
		}
		if incs[0].ServiceID != "web" || !incs[0].End.IsZero() || incs[1].ServiceID != "api" ||
			!incs[1].Start.Equal(at(3)) || !incs[1].End.Equal(at(4)) || incs[1].Worst != Down {
			t.Errorf("incidents = %+v", incs)
		}
		if d := incs[1].Duration(t0); d != time.Minute {
			t.Errorf("api incident lasted %v, want 1m", d)
		}
		later, _ := s.Incidents(ctx, "api", at(5), 0)
		if len(later) != 0 {
			t.Errorf("api incidents since 5m = %+v, want none (closed at 4m)", later)
		}
		during, _ := s.Incidents(ctx, "api", at(3).Add(30*time.Second), 0)
		if len(during) != 1 || !during[0].Start.Equal(at(3)) {
			t.Errorf("api incidents since mid-incident = %+v, want the one that was open", during)
		}
	})
	t.Run("uptime", func(t *testing.T) {
		t.Parallel()
		u, err := s.Uptime(ctx, "api", time.Hour)
		if err != nil || u.Checks != 5 || u.Fails != 2 || u.Ratio != 0.6 {
			t.Errorf("Uptime 1h = %+v, %v; want 3/5", u, err)
		}
		u, _ = s.Uptime(ctx, "api", 57*time.Minute)
		if u.Checks != 3 || u.Fails != 1 {
			t.Errorf("Uptime 57m = %+v, want the 3 checks from 3m on", u)
		}
		if u, _ := s.Uptime(ctx, "nope", time.Hour); u.Checks != 0 {
			t.Errorf("Uptime of an unknown id = %+v, want no checks", u)
		}
	})
}

func TestWriterDropsOldestWhenBehind(t *testing.T) {
	t.Parallel()
	w := newWriter(nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	const maxPending = 1000
	w.max = maxPending
	for i := range maxPending + 1 {
		w.add(probe.Result{ServiceID: "a", Code: i}, nil)
	}
	if got := w.dropped.Load(); got != maxPending/10 {
		t.Errorf("dropped %d, want %d", got, maxPending/10)
	}
	if n, first := len(w.results), w.results[0].Code; n != maxPending-maxPending/10+1 || first != maxPending/10 {
		t.Errorf("pending %d starting at %d, want the newest %d", n, first, maxPending-maxPending/10+1)
	}
}

func TestIngestIgnoresUnknownServices(t *testing.T) {
	t.Parallel()
	s := openTest(t, "", nil, testSpec("a"))
	s.Ingest(okAt("zzz", t0, time.Millisecond))
	mustSync(t, s)
	if s.Snapshot().Version != 0 || s.unknown.Load() != 1 {
		t.Errorf("version %d unknown %d, want 0 and 1", s.Snapshot().Version, s.unknown.Load())
	}
}

func TestIngestFillsMissingNode(t *testing.T) {
	t.Parallel()
	s := openTest(t, "", nil, testSpec("a"))
	r := okAt("a", t0, time.Millisecond)
	r.Node = ""
	s.Ingest(r)
	rs, err := s.Results(context.Background(), "a", time.Time{}, time.Time{}, 0)
	if err != nil || len(rs) != 1 || rs[0].Node != "n1" {
		t.Errorf("Results = %+v, %v; want node n1 from Options", rs, err)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Parallel()
	scenarios := map[string]struct {
		env  map[string]string
		want string
	}{
		"xdg":          {map[string]string{"XDG_STATE_HOME": "/x/state", "HOME": "/home/u"}, "/x/state/uptop/uptop.db"},
		"home":         {map[string]string{"HOME": "/home/u"}, "/home/u/.local/state/uptop/uptop.db"},
		"relative xdg": {map[string]string{"XDG_STATE_HOME": "rel", "HOME": "/home/u"}, "/home/u/.local/state/uptop/uptop.db"},
		"nothing":      {nil, ".local/state/uptop/uptop.db"},
	}
	for name, sc := range scenarios {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := DefaultPath(func(k string) (string, bool) { v, ok := sc.env[k]; return v, ok })
			if got != sc.want {
				t.Errorf("DefaultPath = %q, want %q", got, sc.want)
			}
		})
	}
}

// TestWriterKeepsEveryRowAcrossEmptyFlushes guards the double buffer: an
// empty flush once left the pending and spare buffers sharing memory, so
// results ingested during the next commit overwrote the rows being written.
func TestWriterKeepsEveryRowAcrossEmptyFlushes(t *testing.T) {
	t.Parallel()
	s := openTest(t, dbPath(t), nil, testSpec("a"), testSpec("b"))
	const rounds, perRound = 10, 300
	for k := range rounds {
		mustSync(t, s)
		mustSync(t, s) // the empty flush
		at := t0.Add(time.Duration(k) * time.Hour)
		for i := range perRound {
			s.Ingest(okAt("a", at.Add(time.Duration(i)*time.Second), time.Millisecond))
		}
		flushed := make(chan error)
		go func() { flushed <- s.w.flush() }()
		for i := range perRound { // while that batch is being committed
			s.Ingest(okAt("b", at.Add(time.Duration(i)*time.Second), time.Millisecond))
		}
		if err := <-flushed; err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"a", "b"} {
		rs, err := s.Results(context.Background(), id, time.Time{}, time.Time{}, 0)
		if err != nil || len(rs) != rounds*perRound {
			t.Errorf("%s: %d results (%v), want %d", id, len(rs), err, rounds*perRound)
		}
	}
}
