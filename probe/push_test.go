package probe

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// TestPushSequence walks one push service through its life on a fake
// clock: awaiting the first push, up, late, reported down, up again.
func TestPushSequence(t *testing.T) {
	t.Parallel()
	clock := clockwork.NewFakeClock()
	book := NewPushBook(clock)
	c, err := NewPushFactory(book)(Target{ID: "backup", Kind: "push", Interval: 30 * time.Second,
		Push: PushOptions{Every: time.Hour, Grace: 5 * time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		advance time.Duration
		push    func()
		ok      bool
		err     string
		warn    string
	}{
		{name: "awaiting the first", ok: true, warn: "waiting for the first push"},
		{name: "still awaiting at the limit", advance: time.Hour + 5*time.Minute, ok: true, warn: "waiting for the first push"},
		{name: "never came", advance: time.Second, err: "no push received within 1h5m0s"},
		{name: "pushed", push: func() { book.Record("backup", false, "") }, ok: true},
		{name: "within grace", advance: time.Hour + 4*time.Minute, ok: true},
		{name: "late", advance: 2 * time.Minute, err: "no push for 1h6m0s (expected every 1h0m0s, grace 5m0s)"},
		{name: "job says down", push: func() { book.Record("backup", true, "disk full") }, err: "the job reported down: disk full"},
		{name: "job says down, no msg", push: func() { book.Record("backup", true, "") }, err: "the job reported down"},
		{name: "back up", push: func() { book.Record("backup", false, "") }, ok: true},
		{name: "another service's push counts not", advance: 2 * time.Hour, push: func() { book.Record("other", false, "") }, err: "no push for 2h0m0s"},
	}
	for _, st := range steps {
		clock.Advance(st.advance)
		if st.push != nil {
			st.push()
		}
		r := c.Check(context.Background())
		if r.OK != st.ok || r.Err[:min(len(r.Err), len(st.err))] != st.err || (st.err == "") != (r.Err == "") || r.Warning != st.warn {
			t.Fatalf("%s: OK=%v Err=%q Warning=%q, want OK=%v Err=%q Warning=%q", st.name, r.OK, r.Err, r.Warning, st.ok, st.err, st.warn)
		}
		if !r.Start.Equal(clock.Now()) {
			t.Fatalf("%s: Start %v is not the book's clock %v", st.name, r.Start, clock.Now())
		}
	}
}

func TestPushWithoutBook(t *testing.T) {
	t.Parallel()
	c, err := NewRegistry().Build(Target{ID: "x", Kind: "push", Interval: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Check(context.Background()); r.Warning == "" || r.Err != "" {
		t.Fatalf("a push check with nowhere to receive pushes must say so (degraded), not guess: %+v", r)
	}
	if _, err := NewPushFactory(nil)(Target{Kind: "push"}); err == nil {
		t.Fatal("a push check without an interval was accepted")
	}
}

func TestPushBookConcurrent(t *testing.T) {
	t.Parallel()
	book := NewPushBook(nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				book.Record("s", i%2 == 0, "m")
				book.Last("s")
			}
		}()
	}
	wg.Wait()
	if _, ok := book.Last("s"); !ok {
		t.Fatal("no push recorded")
	}
}
