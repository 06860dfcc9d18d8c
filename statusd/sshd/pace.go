package sshd

import (
	"context"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/uptop-dev/uptop/tui"
)

// pacer fans one store subscription out to every session, at most once per
// interval. The store may publish twenty snapshots a second; a person
// watching over SSH needs one, and a hundred sessions redrawing twenty
// times a second would take the CPU the probe loop needs (see
// docs/PERFORMANCE.md, "SSH sessions").
type pacer struct {
	src   tui.Source
	every time.Duration
	clock clockwork.Clock

	mu   sync.Mutex
	next uint64
	subs map[uint64]chan struct{}
}

func newPacer(src tui.Source, every time.Duration, clock clockwork.Clock) *pacer {
	return &pacer{src: src, every: every, clock: clock, subs: map[uint64]chan struct{}{}}
}

// run forwards each change to the sessions in up to spreadBatches batches
// spread over the interval, then takes the next change; changes meanwhile
// coalesce in the upstream 1-slot channel. Spreading matters: a hundred
// sessions redrawing in the same instant queue ahead of the probe loop's
// goroutine for hundreds of milliseconds on a small machine.
func (p *pacer) run(ctx context.Context) {
	changed, cancel := p.src.Subscribe()
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
		subs := p.current()
		batches := min(len(subs), spreadBatches)
		if batches == 0 {
			batches = 1
		}
		for b := range batches {
			for i := b; i < len(subs); i += batches {
				notify(subs[i])
			}
			t := p.clock.NewTimer(p.every / time.Duration(batches))
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.Chan():
			}
		}
	}
}

// spreadBatches is how many slices an interval's redraws are cut into.
const spreadBatches = 100

func (p *pacer) current() []chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	subs := make([]chan struct{}, 0, len(p.subs))
	for _, ch := range p.subs {
		subs = append(subs, ch)
	}
	return subs
}

// notify never blocks: a session that has not taken its last signal keeps
// one pending, whatever it is stuck on.
func notify(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

func (p *pacer) subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	p.mu.Lock()
	id := p.next
	p.next++
	p.subs[id] = ch
	p.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			p.mu.Lock()
			delete(p.subs, id)
			p.mu.Unlock()
		})
	}
}

// sessionSource is what every SSH session reads: the daemon's source,
// read-only, with changes paced.
type sessionSource struct {
	tui.Source
	p *pacer
}

func (s sessionSource) Subscribe() (<-chan struct{}, func()) { return s.p.subscribe() }
func (sessionSource) Recheck(string) error                   { return tui.ErrReadOnly }

var _ tui.Source = sessionSource{}
