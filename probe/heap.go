package probe

import "time"

// dueHeap is a binary min-heap of scheduled services ordered by next due
// time. It is typed (not container/heap) so the loop's hot path has no
// interface calls or boxing; only the loop goroutine touches it.
type dueHeap []*entry

func (h dueHeap) less(i, j int) bool { return h[i].next.Before(h[j].next) }

func (h dueHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

// init orders an arbitrary slice into a heap in O(n).
func (h dueHeap) init() {
	for i := range h {
		h[i].index = i
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

// top is the entry due soonest; the heap must not be empty.
func (h dueHeap) top() *entry { return h[0] }

// fixTop restores the order after the top entry's next time moved later,
// which is the only change the loop makes.
func (h dueHeap) fixTop() { h.down(0) }

// peekNext is the soonest due time, and false for an empty heap.
func (h dueHeap) peekNext() (time.Time, bool) {
	if len(h) == 0 {
		return time.Time{}, false
	}
	return h[0].next, true
}

func (h dueHeap) down(i int) {
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			return
		}
		h.swap(i, m)
		i = m
	}
}
