package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func openOutboxStore(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(nil, Options{Path: path})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func obItem(id, notifier string, created time.Time) OutboxItem {
	return OutboxItem{ID: id, Notifier: notifier, Kind: "down", Service: "api", Payload: []byte(`{"id":"` + id + `"}`),
		Created: created, NextAt: created, GiveUpAt: created.Add(24 * time.Hour)}
}

func dueIDs(t *testing.T, s *Store, now time.Time) []string {
	t.Helper()
	items, err := s.OutboxDue(context.Background(), now, 100)
	if err != nil {
		t.Fatalf("OutboxDue: %v", err)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids
}

func TestOutboxHeadsInOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openOutboxStore(t, "")
	t1 := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	if err := s.OutboxAdd(ctx, obItem("a1", "slack", t1), obItem("b1", "hook", t1), obItem("a2", "slack", t1.Add(time.Second))); err != nil {
		t.Fatal(err)
	}
	// Replaying a stored id is ignored: no duplicate.
	if err := s.OutboxAdd(ctx, obItem("a1", "slack", t1.Add(time.Minute))); err != nil {
		t.Fatal(err)
	}
	if got := dueIDs(t, s, t1); len(got) != 2 || got[0] != "a1" || got[1] != "b1" {
		t.Fatalf("due = %v, want the head of each queue [a1 b1]", got)
	}
	// a1 failed and waits: a2 must not overtake it.
	retry := t1.Add(10 * time.Second)
	if err := s.OutboxMark(ctx, "a1", OutboxUpdate{State: OutboxPending, Attempts: 1, NextAt: retry, Code: 500, Error: "boom", At: t1}); err != nil {
		t.Fatal(err)
	}
	if got := dueIDs(t, s, t1.Add(5*time.Second)); len(got) != 1 || got[0] != "b1" {
		t.Fatalf("due while a1 waits = %v, want [b1]", got)
	}
	if err := s.OutboxMark(ctx, "b1", OutboxUpdate{State: OutboxDelivered, Attempts: 1, At: t1.Add(5 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	next, ok, err := s.OutboxNext(ctx)
	if err != nil || !ok || !next.Equal(retry) {
		t.Fatalf("OutboxNext = %v %v %v, want %v", next, ok, err, retry)
	}
	if err := s.OutboxMark(ctx, "a1", OutboxUpdate{State: OutboxDelivered, Attempts: 2, NextAt: retry, Code: 200, At: retry}); err != nil {
		t.Fatal(err)
	}
	if got := dueIDs(t, s, retry); len(got) != 1 || got[0] != "a2" {
		t.Fatalf("due after a1 delivered = %v, want [a2]", got)
	}
	if err := s.OutboxMark(ctx, "nope", OutboxUpdate{State: OutboxFailed, At: retry}); err == nil {
		t.Fatal("marking an unknown id succeeded")
	}
}

func TestOutboxSurvivesReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "uptop.db")
	t1 := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	s := openOutboxStore(t, path)
	if err := s.OutboxAdd(ctx, obItem("x1", "hook", t1)); err != nil {
		t.Fatal(err)
	}
	if err := s.OutboxMark(ctx, "x1", OutboxUpdate{State: OutboxPending, Attempts: 3, NextAt: t1.Add(time.Minute), Code: 503, Error: "down", At: t1}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openOutboxStore(t, path)
	items, err := s2.OutboxDue(ctx, t1.Add(time.Minute), 10)
	if err != nil || len(items) != 1 {
		t.Fatalf("after reopen: %v %v, want x1", items, err)
	}
	it := items[0]
	if it.ID != "x1" || it.Attempts != 3 || it.Code != 503 || it.LastError != "down" || string(it.Payload) != `{"id":"x1"}` ||
		!it.GiveUpAt.Equal(t1.Add(24*time.Hour)) || it.State != OutboxPending {
		t.Fatalf("after reopen: %+v", it)
	}
}

func TestOutboxRecentAndPrune(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openOutboxStore(t, "")
	t1 := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	for i, id := range []string{"r1", "r2", "r3"} {
		if err := s.OutboxAdd(ctx, obItem(id, "n"+id, t1.Add(time.Duration(i)*time.Second))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.OutboxMark(ctx, "r1", OutboxUpdate{State: OutboxDelivered, Attempts: 1, At: t1.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	recent, err := s.OutboxRecent(ctx, 2)
	if err != nil || len(recent) != 2 || recent[0].ID != "r1" || recent[1].ID != "r3" {
		t.Fatalf("recent = %+v %v, want r1 then r3", recent, err)
	}
	n, err := s.OutboxPrune(ctx, t1.Add(2*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("prune = %d %v, want 1 (only the delivered one)", n, err)
	}
	if _, ok, _ := s.OutboxNext(ctx); !ok {
		t.Fatal("pending notifications were pruned")
	}
}
