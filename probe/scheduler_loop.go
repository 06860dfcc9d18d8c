package probe

import (
	"context"
	"math/bits"
	"time"

	"github.com/jonboulle/clockwork"
)

// loop is the scheduler's single goroutine: it sleeps until the soonest due
// time, hands every due service to the workers and moves it one interval on
// along its grid. It never waits on a worker, a checker or the sink.
func (s *Scheduler) loop(ctx context.Context) {
	h := s.spread(s.clock.Now())
	if len(h) == 0 {
		<-ctx.Done()
		return
	}
	var timer clockwork.Timer
	for {
		now := s.clock.Now()
		if missed := s.dispatchDue(h, now); missed > 0 {
			s.log.Warn("the schedule fell behind by more than an interval (was the machine suspended?); skipped the missed checks and resumed on the grid",
				"missed_checks", missed)
		}
		wait := h.top().next.Sub(now)
		if timer == nil {
			timer = s.clock.NewTimer(wait)
			defer timer.Stop()
		} else {
			timer.Reset(wait)
		}
		select {
		case <-ctx.Done():
			return
		case <-timer.Chan():
		}
	}
}

// spread sets every service's first due time: services sharing an interval
// start evenly across their first interval (service i of n at
// start + interval*i/n), in config order, so they do not fire at once and
// each is checked within its first interval.
func (s *Scheduler) spread(start time.Time) dueHeap {
	count := make(map[time.Duration]uint64)
	for _, e := range s.entries {
		count[e.target.Interval]++
	}
	seen := make(map[time.Duration]uint64, len(count))
	h := make(dueHeap, len(s.entries))
	for k, e := range s.entries {
		iv := e.target.Interval
		e.next = start.Add(spreadOffset(iv, seen[iv], count[iv]))
		seen[iv]++
		h[k] = e
	}
	h.init()
	return h
}

// spreadOffset is interval*i/n without overflowing for long intervals.
func spreadOffset(interval time.Duration, i, n uint64) time.Duration {
	hi, lo := bits.Mul64(uint64(interval), i)
	q, _ := bits.Div64(hi, lo, n) // i < n, so the quotient fits
	return time.Duration(q)
}

// dispatchDue queues every service due at or before now. The next due time
// is always the previous due time plus the interval (never now + interval),
// so check durations and loop latency cause no drift. It returns how many
// grid ticks were missed because the loop fell more than an interval behind.
func (s *Scheduler) dispatchDue(h dueHeap, now time.Time) (missed uint64) {
	for {
		e := h.top()
		due := e.next
		if due.After(now) {
			return missed
		}
		iv := e.target.Interval
		if behind := now.Sub(due); behind > iv {
			// A suspended laptop or a stalled process: the ticks up to now
			// are gone. Count them and rejoin the grid after now.
			n := uint64(behind/iv) + 1
			missed += n
			s.stats.missed.Add(n)
			e.next = due.Add(time.Duration(n) * iv)
			h.fixTop()
			continue
		}
		e.next = due.Add(iv)
		h.fixTop()
		if !e.running.CompareAndSwap(false, true) {
			// The previous check is still running: never two at once.
			s.stats.skipped.Add(1)
			continue
		}
		s.enqueue(job{e: e, due: due})
	}
}

// enqueue hands a job to the workers without blocking. The caller has set
// e.running, so at most one job per service is outstanding and the queue,
// sized to the number of services, always has room.
func (s *Scheduler) enqueue(j job) {
	s.stats.dispatched.Add(1)
	s.stats.inFlight.Add(1)
	select {
	case s.queue <- j:
	default:
		// Unreachable while the one-job-per-service invariant holds; shed the
		// check rather than stall the loop if it is ever broken.
		s.stats.dispatched.Add(^uint64(0))
		s.stats.inFlight.Add(-1)
		s.stats.skipped.Add(1)
		j.e.running.Store(false)
		s.log.Error("probe queue full; check skipped (a scheduler bug: please report it)", "service", j.e.target.ID)
	}
}
