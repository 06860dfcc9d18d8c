package store

import (
	"math"
	"slices"
	"time"
)

// ring holds a service's recent samples packed into 8 bytes each (the
// exported Sample is 16): at 10,000 services × 360 samples that is the
// difference between 29 MB and 58 MB of live heap. Each slot is
// (ms since base) << 32 | status << 30 | latency µs (30 bits, ≈ 17 min cap).
type ring struct {
	base  int64 // unix ms that slot times count from
	slots []uint64
	head  int // next slot to write
	n     int // slots in use
}

const (
	latencyBits = 30
	latencyMask = 1<<latencyBits - 1
	// baseMargin lets a sample be up to a day older than the first one seen
	// (results from concurrent workers arrive slightly out of order).
	baseMargin = 24 * time.Hour
)

// ringSize covers the last hour at the service's interval, clamped to
// [RecentSamples, 360] so a sparkline can always fill RecentSamples.
func ringSize(interval time.Duration) int {
	n := RecentSamples
	if interval > 0 {
		n = int(math.Ceil(float64(time.Hour)/float64(interval))) + 1
	}
	return max(RecentSamples, min(n, 360))
}

func newRing(size int) ring { return ring{slots: make([]uint64, size)} }

func (r *ring) push(s Sample) {
	if r.n == 0 && r.base == 0 {
		r.base = s.AtMilli - baseMargin.Milliseconds()
	}
	off := s.AtMilli - r.base
	if off >= math.MaxUint32 {
		r.rebase(s.AtMilli - baseMargin.Milliseconds())
		off = s.AtMilli - r.base
	}
	off = max(off, 0) // older than base: clamp rather than wrap
	lat := min(uint64(s.LatencyUS), latencyMask)
	r.slots[r.head] = uint64(off)<<32 | uint64(s.Status&3)<<latencyBits | lat
	r.head = (r.head + 1) % len(r.slots)
	r.n = min(r.n+1, len(r.slots))
}

// rebase moves the base forward; slots that would fall before it keep the
// new base as their time (they are more than 48 days old by then).
func (r *ring) rebase(base int64) {
	for i := range r.n {
		j := (r.head - 1 - i + len(r.slots)) % len(r.slots)
		at := max(r.at(r.slots[j])-base, 0)
		r.slots[j] = uint64(at)<<32 | r.slots[j]&math.MaxUint32
	}
	r.base = base
}

func (r *ring) at(slot uint64) int64 { return r.base + int64(slot>>32) }

func (r *ring) sample(slot uint64) Sample {
	return Sample{
		AtMilli:   r.at(slot),
		LatencyUS: uint32(slot & latencyMask),
		Status:    Status(slot >> latencyBits & 3),
	}
}

// recent returns up to k of the newest samples, oldest first, in a new slice.
func (r *ring) recent(k int) []Sample {
	k = min(k, r.n)
	if k == 0 {
		return nil
	}
	out := make([]Sample, k)
	for i := range k {
		j := (r.head - k + i + 2*len(r.slots)) % len(r.slots)
		out[i] = r.sample(r.slots[j])
	}
	return out
}

// newest returns the most recent sample; ok is false when the ring is empty.
func (r *ring) newest() (Sample, bool) {
	if r.n == 0 {
		return Sample{}, false
	}
	return r.sample(r.slots[(r.head-1+len(r.slots))%len(r.slots)]), true
}

// p95 is the 95th percentile latency of successful samples at or after
// sinceMs; 0 when there are none. scratch is reused to avoid allocating.
func (r *ring) p95(sinceMs int64, scratch *[]uint32) time.Duration {
	buf := (*scratch)[:0]
	for i := range r.n {
		s := r.slots[(r.head-1-i+2*len(r.slots))%len(r.slots)]
		if r.at(s) < sinceMs {
			continue // not break: out-of-order arrivals may sit among newer ones
		}
		if st := Status(s >> latencyBits & 3); st == Up || st == Degraded {
			buf = append(buf, uint32(s&latencyMask))
		}
	}
	*scratch = buf
	if len(buf) == 0 {
		return 0
	}
	slices.Sort(buf)
	idx := int(math.Ceil(0.95*float64(len(buf)))) - 1
	return time.Duration(buf[idx]) * time.Microsecond
}
