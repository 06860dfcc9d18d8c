package sshd

import (
	"context"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// changingSource is a fakeSource whose changes the test triggers.
type changingSource struct {
	*fakeSource
	changed chan struct{}
}

func (c changingSource) Subscribe() (<-chan struct{}, func()) { return c.changed, func() {} }

func TestPacerCoalescesToOnePerInterval(t *testing.T) {
	t.Parallel()
	clock := clockwork.NewFakeClock()
	src := changingSource{newFakeSource(allUp), make(chan struct{}, 1)}
	p := newPacer(src, time.Second, clock)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go p.run(ctx)
	a, cancelA := p.subscribe()
	defer cancelA()
	b, cancelB := p.subscribe()
	cancelB() // an unsubscribed session is never signalled

	src.changed <- struct{}{}
	recv(t, ctx, a)
	// Changes within the interval coalesce into one, delivered when it ends.
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	src.changed <- struct{}{}
	select {
	case <-a:
		t.Fatal("signalled twice within one interval")
	case <-time.After(50 * time.Millisecond): // a negative check: nothing may arrive
	}
	clock.Advance(time.Second)
	recv(t, ctx, a)
	select {
	case <-b:
		t.Fatal("cancelled subscription signalled")
	default:
	}
}

func recv(t *testing.T, ctx context.Context, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-ctx.Done():
		t.Fatal("no signal")
	}
}
