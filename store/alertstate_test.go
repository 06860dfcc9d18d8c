package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func TestAlertStateSurvivesReopenWithItsOutboxRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "uptop.db")
	t0 := time.UnixMilli(1_700_000_000_000)
	s1 := openOutboxStore(t, path)
	if got, err := s1.AlertStates(ctx); err != nil || len(got) != 0 {
		t.Fatalf("fresh AlertStates = %v, %v; want empty", got, err)
	}
	err := s1.OutboxAddAnnounced(ctx, []AlertState{
		{ServiceID: "api", Announced: Down, DownSince: t0, Updated: t0.Add(time.Second)},
		{ServiceID: "web", Announced: Up, Updated: t0},
	}, obItem("n1", "ops", t0))
	if err != nil {
		t.Fatal(err)
	}
	// A later announcement replaces the row, and states alone need no item.
	if err := s1.OutboxAddAnnounced(ctx, []AlertState{{ServiceID: "web", Announced: Degraded, DownSince: t0, Updated: t0}}); err != nil {
		t.Fatal(err)
	}
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openOutboxStore(t, path)
	got, err := s2.AlertStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]AlertState{
		"api": {ServiceID: "api", Announced: Down, DownSince: t0, Updated: t0.Add(time.Second)},
		"web": {ServiceID: "web", Announced: Degraded, DownSince: t0, Updated: t0},
	}
	if len(got) != len(want) {
		t.Fatalf("AlertStates = %+v, want %+v", got, want)
	}
	for id, w := range want {
		g := got[id]
		if g.Announced != w.Announced || !g.DownSince.Equal(w.DownSince) || !g.Updated.Equal(w.Updated) {
			t.Fatalf("%s = %+v, want %+v", id, g, w)
		}
	}
	if ids := dueIDs(t, s2, t0); len(ids) != 1 || ids[0] != "n1" {
		t.Fatalf("outbox due = %v, want [n1]", ids)
	}
	if !got["api"].Updated.Equal(t0.Add(time.Second)) || !(AlertState{}).DownSince.IsZero() || !got["api"].DownSince.Equal(t0) {
		t.Fatal("times did not round-trip")
	}
}

// TestAlertStateRollsBackWithTheOutbox: an item that cannot be stored
// (a trigger refuses it, standing in for a full disk) takes the states
// written before it down too, so the store never believes an alert was
// queued when it was not.
func TestAlertStateRollsBackWithTheOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openOutboxStore(t, "")
	if err := s.ensureAlertState(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TRIGGER refuse BEFORE INSERT ON outbox WHEN NEW.id = 'bad'
		BEGIN SELECT RAISE(ABORT, 'refused'); END`); err != nil {
		t.Fatal(err)
	}
	err := s.OutboxAddAnnounced(ctx, []AlertState{{ServiceID: "api", Announced: Down}}, obItem("n1", "ops", time.Now()), obItem("bad", "ops", time.Now()))
	if err == nil {
		t.Fatal("OutboxAddAnnounced succeeded though the outbox refused an item")
	}
	got, err := s.AlertStates(ctx)
	if err != nil || len(got) != 0 {
		t.Fatalf("AlertStates after a failed add = %v, %v; want empty", got, err)
	}
	if ids := dueIDs(t, s, time.Now()); len(ids) != 0 {
		t.Fatalf("outbox after a failed add = %v, want empty", ids)
	}
}
