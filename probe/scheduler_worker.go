package probe

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// work runs queued checks until stop is closed. A check already started is
// finished (bounded by its timeout); nothing new starts after stop.
func (s *Scheduler) work(base context.Context, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case j := <-s.queue:
			select {
			case <-stop:
				s.drop(j)
				return
			default:
			}
			s.runJob(base, j)
		}
	}
}

// runJob checks one service and delivers the result. The result is ingested
// before the service is released, so one service's results reach the sink
// in order.
func (s *Scheduler) runJob(base context.Context, j job) {
	e := j.e
	start := s.clock.Now()
	if !j.due.IsZero() {
		s.stats.lag.record(start.Sub(j.due))
	}
	began := time.Now()
	r := s.check(base, e)
	if elapsed := time.Since(began); elapsed > e.target.Timeout+time.Second {
		s.log.Warn("a checker overran its deadline; it must return when its context is done (a bug in the checker)",
			"service", e.target.ID, "kind", e.target.Kind, "timeout", e.target.Timeout, "took", elapsed)
	}
	if r.Start.IsZero() {
		r.Start = began
		r.Duration = time.Since(began)
	}
	r.ServiceID = e.target.ID
	r.Node = s.node
	r.Scheduled = j.due
	s.stats.completed.Add(1)
	s.sink.Ingest(r)
	e.running.Store(false)
	s.stats.inFlight.Add(-1)
}

// check runs one service's checker under its hard deadline.
func (s *Scheduler) check(base context.Context, e *entry) Result {
	return guardedCheck(base, e.target, e.checker, s.log)
}

// guardedCheck runs c under a hard deadline of t's timeout and turns a
// panic into a failed Result so one buggy checker cannot take the process
// down. The scheduler and one-shot checks (CheckAll) share it; log may be
// nil.
func guardedCheck(base context.Context, t Target, c Checker, log *slog.Logger) (r Result) {
	ctx, cancel := context.WithTimeout(base, t.Timeout)
	defer cancel()
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if log != nil {
			log.Error("checker panicked; recorded as a failed check (a bug: please report it)",
				"service", t.ID, "kind", t.Kind, "panic", scrub(p, t.Address), "stack", string(debug.Stack()))
		}
		r = Result{Err: panicMessage(t.Kind, p)}
	}()
	return c.Check(ctx)
}

// panicMessage names the panic only when it is a runtime error: any other
// panic value could carry the target's address and its credentials.
func panicMessage(kind string, p any) string {
	if re, ok := p.(runtime.Error); ok {
		return fmt.Sprintf("internal error: the %s checker crashed (%v); please report this bug", kind, re)
	}
	return fmt.Sprintf("internal error: the %s checker crashed; please report this bug (details in the log)", kind)
}

// scrub prints a panic value without the target's address, which may hold
// credentials.
func scrub(p any, address string) string {
	msg := fmt.Sprint(p)
	if address == "" {
		return msg
	}
	return strings.ReplaceAll(msg, address, "<target address>")
}

// drop releases a job that will never run.
func (s *Scheduler) drop(j job) {
	j.e.running.Store(false)
	s.stats.inFlight.Add(-1)
}

// dropQueued releases the jobs still queued after the workers stopped.
func (s *Scheduler) dropQueued() {
	for {
		select {
		case j := <-s.queue:
			s.drop(j)
		default:
			return
		}
	}
}
