package probe

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// SchedulerStats is a point-in-time view of the scheduler's counters since
// Run started.
type SchedulerStats struct {
	Services   int
	Workers    int
	Dispatched uint64 // checks handed to the workers (scheduled and RunNow)
	Completed  uint64 // checks whose result reached the sink
	// Skipped counts grid ticks not run because the service's previous
	// check was still running.
	Skipped uint64
	// Missed counts grid ticks lost because the loop fell more than an
	// interval behind (a suspended machine).
	Missed   uint64
	InFlight int64 // queued or running now
	// LagP50 and LagP99 are the schedule lag (worker start − due time) of
	// scheduled checks, from a log-linear histogram: within 12.5%.
	LagP50, LagP99, LagMax time.Duration
}

// Stats reads the counters without stopping anything.
func (s *Scheduler) Stats() SchedulerStats {
	return SchedulerStats{
		Services:   len(s.entries),
		Workers:    s.workers,
		Dispatched: s.stats.dispatched.Load(),
		Completed:  s.stats.completed.Load(),
		Skipped:    s.stats.skipped.Load(),
		Missed:     s.stats.missed.Load(),
		InFlight:   s.stats.inFlight.Load(),
		LagP50:     s.stats.lag.quantile(0.50),
		LagP99:     s.stats.lag.quantile(0.99),
		LagMax:     time.Duration(s.stats.lag.max.Load()),
	}
}

type schedCounters struct {
	dispatched, completed, skipped, missed atomic.Uint64
	inFlight                               atomic.Int64
	lag                                    lagHistogram
}

// lagHistogram counts durations in log-linear microsecond buckets: eight
// per power of two. Recording is one atomic add, so workers never contend
// on a lock.
type lagHistogram struct {
	buckets [lagBuckets]atomic.Uint64
	max     atomic.Int64
}

const (
	lagSub     = 8 // buckets per power of two
	lagSubBits = 3
	lagBuckets = (64 - lagSubBits + 1) * lagSub
)

func (h *lagHistogram) record(d time.Duration) {
	d = max(d, 0)
	h.buckets[lagIndex(uint64(d/time.Microsecond))].Add(1)
	for {
		m := h.max.Load()
		if int64(d) <= m || h.max.CompareAndSwap(m, int64(d)) {
			return
		}
	}
}

func lagIndex(us uint64) int {
	if us < lagSub {
		return int(us)
	}
	e := bits.Len64(us) - 1 // ≥ lagSubBits
	sub := (us >> (e - lagSubBits)) & (lagSub - 1)
	return (e-lagSubBits+1)*lagSub + int(sub)
}

// lagUpper is the largest value that falls in bucket i, in microseconds.
func lagUpper(i int) uint64 {
	if i < lagSub {
		return uint64(i)
	}
	e := i/lagSub + lagSubBits - 1
	sub := uint64(i % lagSub)
	lo := (lagSub + sub) << (e - lagSubBits)
	return lo + 1<<(e-lagSubBits) - 1
}

// quantile is the upper bound of the bucket holding quantile q; 0 when
// nothing was recorded.
func (h *lagHistogram) quantile(q float64) time.Duration {
	var counts [lagBuckets]uint64
	var total uint64
	for i := range h.buckets {
		counts[i] = h.buckets[i].Load()
		total += counts[i]
	}
	if total == 0 {
		return 0
	}
	rank := uint64(q*float64(total-1)) + 1
	var seen uint64
	for i, c := range counts {
		seen += c
		if seen >= rank {
			return min(time.Duration(lagUpper(i))*time.Microsecond, time.Duration(h.max.Load()))
		}
	}
	return time.Duration(h.max.Load())
}
