package store

import "sync"

// subscribers hold each subscriber's 1-slot channel. A signal is a
// non-blocking send: a subscriber that is slow (or never reads) sees one
// pending signal, never a queue, and never holds up the publisher.
type subscribers struct {
	mu   sync.Mutex
	next uint64
	chs  map[uint64]chan struct{}
}

// Subscribe returns a channel that receives a value after each new snapshot
// (coalesced: at most one pending) and a cancel func that unsubscribes; the
// channel is not closed, so a reader must also watch its own done signal.
func (s *Store) Subscribe() (changed <-chan struct{}, cancel func()) {
	return s.subs.add()
}

func (b *subscribers) add() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	b.mu.Lock()
	if b.chs == nil {
		b.chs = make(map[uint64]chan struct{})
	}
	id := b.next
	b.next++
	b.chs[id] = ch
	b.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.chs, id)
			b.mu.Unlock()
		})
	}
}

func (b *subscribers) signal() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.chs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
